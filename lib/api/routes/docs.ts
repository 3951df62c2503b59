// /api/v1/docs: the interactive API reference (Swagger UI) on the generated document, from local files only: the
// page, its script and its styles come from this origin (swagger-ui-dist in node_modules), no CDN.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { apiHeaders, errorJson } from "../responses";
import { errorAnswer } from "../route-declarations";

const ASSETS = "/api/v1/docs/assets";
const dist = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

// The files the page needs, read once when the app loads; served as they are, cached by the browser for a day.
const files = new Map<string, { body: Uint8Array<ArrayBuffer> | string; type: string }>([
  [
    "swagger-ui.css",
    { body: readFileSync(path.join(dist, "swagger-ui.css"), "utf8"), type: "text/css; charset=utf-8" },
  ],
  [
    "swagger-ui-bundle.js",
    { body: readFileSync(path.join(dist, "swagger-ui-bundle.js"), "utf8"), type: "text/javascript; charset=utf-8" },
  ],
  [
    "favicon-32x32.png",
    { body: new Uint8Array(readFileSync(path.join(dist, "favicon-32x32.png"))), type: "image/png" },
  ],
  // Swagger UI's own validator badge would call validator.swagger.io: validatorUrl null keeps every request local.
  [
    "init.js",
    {
      body: `window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", validatorUrl: null, deepLinking: true });\n`,
      type: "text/javascript; charset=utf-8",
    },
  ],
]);

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Keyhold API reference</title>
<link rel="icon" type="image/png" href="${ASSETS}/favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${ASSETS}/swagger-ui-bundle.js"></script>
<script src="${ASSETS}/init.js"></script>
</body>
</html>
`;

export const docsRoutes = new OpenAPIHono<ApiEnv>();

const html = { "text/html": { schema: z.string() } };

// GET /api/v1/docs — the API reference page.
defineRoute(
  docsRoutes,
  createRoute({
    method: "get",
    path: "/api/v1/docs",
    hide: true,
    summary: "The API reference page",
    responses: { 200: { description: "Swagger UI on /api/v1/openapi.json", content: html } },
  }),
  () =>
    new Response(page, {
      headers: apiHeaders({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }),
    }),
);

// GET /api/v1/docs/assets/{file} — the page's script, styles and icon.
defineRoute(
  docsRoutes,
  createRoute({
    method: "get",
    path: `${ASSETS}/{file}`,
    hide: true,
    summary: "The reference page's script, styles and icon",
    request: { params: z.object({ file: z.string() }) },
    responses: {
      200: { description: "The file", content: { "*/*": { schema: z.string() } } },
      404: errorAnswer("not_found: no such file"),
    },
  }),
  (_c, { params }) => {
    const file = files.get(params.file);
    if (!file) return errorJson("not_found", "Not found");
    return new Response(file.body, {
      headers: apiHeaders({ "Content-Type": file.type, "Cache-Control": "public, max-age=86400" }),
    });
  },
);
