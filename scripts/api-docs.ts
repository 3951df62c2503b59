// Writes docs/api.md, the API reference, from the app's generated OpenAPI document (routes, webhooks, schemas) and the
// error table. `tsx scripts/api-docs.ts` writes it; `--check` exits 1 when the checked-in docs/api.md is stale.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import GithubSlugger from "github-slugger";
import * as prettier from "prettier";
import { openApiDocument } from "../lib/api/app";
import { DEFAULT_MESSAGES, ERROR_CODES } from "../lib/errors";
import { isEntryPoint, runMain } from "./run-main";

const root = path.resolve(import.meta.dirname, "..");
export const apiDocsFile = path.join(root, "docs/api.md");

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Content = Record<string, { schema?: Schema }>;
type Response = { description?: string; headers?: Record<string, unknown>; content?: Content };
type Operation = {
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  operationId?: string;
  requestBody?: { required?: boolean; description?: string; content?: Content };
  responses?: Record<string, Response>;
};
type SecurityScheme = { type: string; scheme?: string; in?: string; name?: string; description?: string };
export type OpenApiDocument = {
  info: { title: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  webhooks?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, SecurityScheme> };
};

const METHODS = ["get", "post", "put", "patch", "delete", "head", "options"];

// Text safe inside a Markdown table cell: one line, pipes escaped, and outside code spans `<` escaped (not a tag).
const cell = (text: string) =>
  text
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|")
    .split("`")
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, "\\<") : part))
    .join("`");
const code = (text: string) => "`" + text + "`";

// Renders the whole reference; `doc` is the OpenAPI document, `errors` the error table (code → status, message).
export function renderApiDocs(doc: OpenApiDocument, errors: { code: string; status: number; message: string }[]) {
  const schemas = doc.components?.schemas ?? {};
  const schemes = doc.components?.securitySchemes ?? {};

  // Operations, with the methods of one path that share a declaration (forward authentication: any method) merged.
  type Entry = { methods: string[]; path: string; op: Operation };
  const group = (items: Record<string, Record<string, Operation>>) => {
    const out: Entry[] = [];
    for (const [p, item] of Object.entries(items)) {
      const byText = new Map<string, Entry>();
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const key = JSON.stringify({ ...op, operationId: undefined });
        const seen = byText.get(key);
        if (seen) seen.methods.push(method.toUpperCase());
        else {
          const entry = { methods: [method.toUpperCase()], path: p, op };
          byText.set(key, entry);
          out.push(entry);
        }
      }
    }
    return out;
  };
  const routes = group(doc.paths ?? {});
  const webhooks = group(doc.webhooks ?? {});
  const routeTitle = (e: Entry) => `${e.methods.join(", ")} ${e.path}`;

  // Anchors exactly as GitHub makes them, computed over every heading in the order they are written below.
  const slugger = new GithubSlugger();
  const anchors = new Map<string, string>();
  const heading = (kind: string, text: string) => anchors.set(`${kind}:${text}`, slugger.slug(text));
  heading("h", doc.info.title);
  for (const h of ["Authentication", "Errors", "Routes"]) heading("h", h);
  for (const e of routes) heading("route", routeTitle(e));
  if (webhooks.length) {
    heading("h", "Webhooks");
    for (const e of webhooks) heading("webhook", e.path);
  }
  heading("h", "Schemas");
  for (const name of Object.keys(schemas)) heading("schema", name);
  const link = (kind: string, text: string, label = text) => `[${label}](#${anchors.get(`${kind}:${text}`)})`;

  const refName = (ref: string) => ref.replace("#/components/schemas/", "");
  const resolve = (s: Schema | undefined): Schema | undefined => (s?.$ref ? schemas[refName(s.$ref)] : s);

  // A schema's type in words, with links to named schemas.
  const typeOf = (s: Schema | undefined): string => {
    if (!s) return "any";
    if (s.$ref) return link("schema", refName(s.$ref));
    if (s.const !== undefined) return code(JSON.stringify(s.const));
    if (s.enum) return s.enum.map((v) => code(String(v))).join(", ");
    const union = s.anyOf ?? s.oneOf;
    if (union) return union.map(typeOf).join(" or ");
    if (s.allOf) return s.allOf.map(typeOf).join(" and ");
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    const named = types.map((t) => {
      if (t === "array") return `array of ${typeOf(s.items)}`;
      if (t === "string" && s.format) return `string (${s.format})`;
      return t;
    });
    return named.length ? named.join(" or ") : "any";
  };

  // Bounds, patterns and defaults in words.
  const constraints = (s: Schema | undefined): string => {
    if (!s) return "";
    const parts: string[] = [];
    const range = (lo?: number, hi?: number, unit = "") =>
      lo !== undefined && hi !== undefined
        ? `${lo}–${hi}${unit}`
        : lo !== undefined
          ? `at least ${lo}${unit}`
          : hi !== undefined
            ? `at most ${hi}${unit}`
            : "";
    const length = range(s.minLength, s.maxLength, " characters");
    const value = range(s.minimum, s.maximum);
    const items = range(s.minItems, s.maxItems, " items").replace(/^(at (?:least|most) 1) items$/, "$1 item");
    for (const p of [length, value, items]) if (p) parts.push(p);
    if (s.pattern) parts.push(`pattern ${code(s.pattern)}`);
    if (s.default !== undefined) parts.push(`default ${code(JSON.stringify(s.default))}`);
    return parts.join("; ");
  };

  // One row per field of an object schema; inline objects (and arrays of them) add their fields as a.b and a[].b.
  const fieldRows = (s: Schema | undefined, prefix = ""): string[] => {
    const object = resolve(s);
    if (!object?.properties) return [];
    const rows: string[] = [];
    for (const [name, prop] of Object.entries(object.properties)) {
      const field = prefix + name;
      const required = object.required?.includes(name) ? "yes" : "";
      const itemBounds = prop.items && !prop.items.$ref ? constraints(prop.items) : "";
      const bounds = [constraints(prop), itemBounds && `each: ${itemBounds}`].filter(Boolean).join("; ");
      rows.push(
        `| ${code(field)} | ${cell(typeOf(prop))} | ${required} | ${cell(bounds)} | ${cell(prop.description ?? "")} |`,
      );
      if (!prop.$ref && prop.properties) rows.push(...fieldRows(prop, `${field}.`));
      if (prop.items && !prop.items.$ref && prop.items.properties) rows.push(...fieldRows(prop.items, `${field}[].`));
    }
    return rows;
  };
  const fieldTable = (s: Schema | undefined): string[] => {
    const rows = fieldRows(s);
    if (!rows.length) return [];
    return ["| field | type | required | constraints | description |", "| --- | --- | --- | --- | --- |", ...rows, ""];
  };

  // The security schemes an operation accepts (see the Authentication table), and the key scope it needs if any.
  const authOf = (op: Operation) => {
    if (!op.security?.length) return "none";
    const names = op.security.flatMap((req) => Object.keys(req)).map(code);
    const scope = /Needs a key with the `(\w+)` scope/.exec(op.description ?? "")?.[1];
    return names.join(" or ") + (scope ? `, scope ${code(scope)}` : "");
  };

  const contentLines = (content: Content | undefined) =>
    Object.entries(content ?? {}).map(([type, c]) => `${code(type)}: ${typeOf(c.schema)}`);

  // The body of one operation: description, auth, parameters, request body fields, responses.
  const operationLines = (e: Entry, withAuth: boolean): string[] => {
    const { op } = e;
    const lines: string[] = [];
    if (op.summary) lines.push(`${op.summary}.`.replace(/\.\.$/, "."), "");
    if (op.description) lines.push(op.description, "");
    if (withAuth) lines.push(`**Auth:** ${authOf(op)}`, "");
    if (op.parameters?.length) {
      lines.push(
        "**Parameters**",
        "",
        "| name | in | type | required | description |",
        "| --- | --- | --- | --- | --- |",
      );
      for (const p of op.parameters) {
        const about = [constraints(p.schema), p.description ?? p.schema?.description ?? ""].filter(Boolean).join("; ");
        lines.push(
          `| ${code(p.name)} | ${p.in} | ${cell(typeOf(p.schema))} | ${p.required ? "yes" : ""} | ${cell(about)} |`,
        );
      }
      lines.push("");
    }
    if (op.requestBody) {
      const body = op.requestBody;
      lines.push(
        `**Request body** (${body.required ? "required" : "optional"}): ${contentLines(body.content).join("; ")}`,
      );
      lines.push("");
      if (body.description) lines.push(body.description, "");
      const schema = Object.values(body.content ?? {})[0]?.schema;
      lines.push(...fieldTable(schema));
    }
    if (op.responses && Object.keys(op.responses).length) {
      lines.push("**Responses**", "", "| status | meaning | body | headers |", "| --- | --- | --- | --- |");
      for (const [status, r] of Object.entries(op.responses)) {
        const headers = Object.keys(r.headers ?? {})
          .map(code)
          .join(", ");
        lines.push(
          `| ${status} | ${cell(r.description ?? "")} | ${cell(contentLines(r.content).join("; "))} | ${cell(headers)} |`,
        );
      }
      lines.push("");
    }
    return lines;
  };

  const out: string[] = [
    "<!-- GENERATED by scripts/api-docs.ts from the OpenAPI document: do not edit. `npm run docs:api` rewrites it. -->",
    "",
    `# ${doc.info.title}`,
    "",
  ];
  if (doc.info.description) out.push(doc.info.description, "");
  out.push(
    "The same document is served at `/api/v1/openapi.json`, and as an interactive reference at `/api/v1/docs`. " +
      "What keys, scopes, permissions, credits and rate limits mean: [API keys](keys.md).",
    "",
    "## Authentication",
    "",
    "| scheme | sent as | what |",
    "| --- | --- | --- |",
  );
  for (const [name, s] of Object.entries(schemes)) {
    const sent = s.type === "http" ? `${code(`Authorization: ${s.scheme === "bearer" ? "Bearer" : s.scheme}`)}` : "";
    const where = s.type === "apiKey" ? `${s.in} ${code(s.name ?? "")}` : sent;
    out.push(`| ${code(name)} | ${cell(where)} | ${cell(s.description ?? "")} |`);
  }
  out.push(
    "",
    "## Errors",
    "",
    'Every error is `{"error": {"code", "message", "reason"?}}` (' + link("schema", "Error") + "). The codes:",
    "",
    "| status | code | meaning |",
    "| --- | --- | --- |",
  );
  for (const e of errors) out.push(`| ${e.status} | ${code(e.code)} | ${cell(e.message)} |`);
  out.push("", "## Routes", "", "| route | auth | what |", "| --- | --- | --- |");
  for (const e of routes)
    out.push(`| ${link("route", routeTitle(e))} | ${cell(authOf(e.op))} | ${cell(e.op.summary ?? "")} |`);
  out.push("");
  for (const e of routes) out.push(`### ${routeTitle(e)}`, "", ...operationLines(e, true));
  if (webhooks.length) {
    out.push(
      "## Webhooks",
      "",
      "What Keyhold sends to webhook endpoints: each event is a signed `POST` (see [Webhooks](webhooks.md)).",
      "",
      "| event | what |",
      "| --- | --- |",
    );
    for (const e of webhooks) out.push(`| ${link("webhook", e.path, code(e.path))} | ${cell(e.op.summary ?? "")} |`);
    out.push("");
    for (const e of webhooks) out.push(`### ${e.path}`, "", ...operationLines(e, false));
  }
  out.push("## Schemas", "");
  for (const [name, s] of Object.entries(schemas)) {
    out.push(`### ${name}`, "");
    if (s.description) out.push(s.description, "");
    const rows = fieldTable(s);
    if (rows.length) out.push(...rows);
    else out.push(`${typeOf({ ...s, description: undefined })}${constraints(s) ? ` (${constraints(s)})` : ""}`, "");
  }
  return out.join("\n");
}

// docs/api.md as it should be now, formatted as `prettier --check` expects.
export async function currentApiDocs(): Promise<string> {
  const errors = Object.entries(ERROR_CODES).map(([code, status]) => ({
    code,
    status,
    message: DEFAULT_MESSAGES[code as keyof typeof ERROR_CODES],
  }));
  const text = renderApiDocs(openApiDocument as unknown as OpenApiDocument, errors);
  const options = (await prettier.resolveConfig(apiDocsFile)) ?? {};
  return prettier.format(text, { ...options, filepath: apiDocsFile });
}

async function main() {
  const text = await currentApiDocs();
  const relative = path.relative(root, apiDocsFile);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(apiDocsFile, "utf8");
    } catch {
      // missing: stale
    }
    if (current !== text) {
      console.error(`${relative} is stale: run \`npm run docs:api\` and commit it.`);
      process.exit(1);
    }
    console.log(`${relative} is current with the OpenAPI document.`);
    return;
  }
  writeFileSync(apiDocsFile, text);
  console.log(`wrote ${relative}`);
}

if (isEntryPoint(import.meta.filename)) runMain(main, { stack: true });
