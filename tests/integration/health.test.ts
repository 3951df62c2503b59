import { describe, expect, it } from "vitest";
import { setDb } from "@/lib/db";
import { withTestDb, unreachableClient } from "../helpers/db";
import { api } from "../helpers/keys";

withTestDb();

describe("GET /api/health", () => {
  it("answers 200 with the database ok", async () => {
    const res = await api(new Request("http://localhost/api/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("answers 503 database unreachable when the database cannot be reached", async () => {
    // Port 1 on loopback refuses connections.
    setDb(unreachableClient());
    const res = await api(new Request("http://localhost/api/health"));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ database: "unreachable" });
  });
});
