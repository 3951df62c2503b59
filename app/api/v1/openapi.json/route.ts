// GET /api/v1/openapi.json — the OpenAPI 3.1 description of /api/v1.
import { openApiDocument } from "@/lib/api/openapi";
import { json } from "@/lib/api/responses";

export function GET() {
  return json(openApiDocument);
}
