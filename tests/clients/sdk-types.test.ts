// The SDK's generated files (types from the OpenAPI document, the error table) match what the server generates now.
import { describe, expect, it } from "vitest";
import { staleFiles } from "../../scripts/openapi-export";

describe("generated SDK files", () => {
  it("are current with the app's OpenAPI document and error table (npm run sdk:generate rewrites them)", async () => {
    expect(await staleFiles()).toEqual([]);
  });
});
