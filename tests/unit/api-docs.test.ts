// docs/api.md's generator: routes, webhook payloads and schemas render, and its own anchors resolve.
import { describe, expect, it } from "vitest";
import { renderApiDocs, type OpenApiDocument } from "@/scripts/api-docs";
import { headingAnchors, linkTargets } from "@/scripts/docs-links";

const doc: OpenApiDocument = {
  info: { title: "Test API", description: "For the test." },
  components: {
    securitySchemes: { bearerKey: { type: "http", scheme: "bearer", description: "An API key" } },
    schemas: {
      Key: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
      Error: { type: "object", properties: { code: { type: "string", enum: ["not_found"] } } },
    },
  },
  paths: {
    "/api/v1/keys/{id}": {
      get: {
        summary: "One key",
        description: "Needs a key with the `read` scope.",
        security: [{ bearerKey: [] }],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          200: {
            description: "The key",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Key" } } },
          },
          404: {
            description: "not_found | gone",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        },
      },
    },
  },
  webhooks: {
    "key.created": {
      post: {
        summary: "A key was created",
        requestBody: {
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  type: { const: "key.created" },
                  data: { type: "object", properties: { key: { $ref: "#/components/schemas/Key" } } },
                },
              },
            },
          },
        },
      },
    },
  },
};

describe("renderApiDocs", () => {
  const text = renderApiDocs(doc, [{ code: "not_found", status: 404, message: "Not found." }]);

  it("renders each route with its auth, parameters and responses, and each webhook with its payload fields", () => {
    expect(text).toContain("### GET /api/v1/keys/{id}");
    expect(text).toContain("**Auth:** `bearerKey`, scope `read`");
    expect(text).toContain("| `id` | path | string | yes |");
    expect(text).toContain("| 404 | not_found \\| gone |");
    expect(text).toContain("## Webhooks");
    expect(text).toContain("### key.created");
    expect(text).toContain("| `data.key` | [Key](#key) |");
    expect(text).toContain("| 404 | `not_found` | Not found. |");
  });

  it("links only to its own headings", () => {
    const anchors = headingAnchors(text);
    const fragments = linkTargets(text).filter((href) => href.startsWith("#"));
    expect(fragments.length).toBeGreaterThan(3);
    for (const href of fragments) expect(anchors, href).toContain(href.slice(1));
  });
});
