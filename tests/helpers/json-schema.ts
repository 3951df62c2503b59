// A small JSON Schema checker for the subset the generated OpenAPI document uses ($ref, anyOf, type incl. "null",
// properties, required, additionalProperties, items, enum, const, minItems, maxItems, minimum, maximum, minLength,
// maxLength, pattern, format date-time).
type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

// Lists every way `value` breaks `schema` (empty when it conforms); `$ref`s resolve against `root`.
export function schemaErrors(value: unknown, schema: Schema, root: Schema, at = "$"): string[] {
  if (typeof schema.$ref === "string") {
    const target = schema.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((node, part) => (node as Schema)[part], root);
    if (!target) return [`${at}: unresolvable ${schema.$ref}`];
    return schemaErrors(value, target as Schema, root, at);
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as Schema[]).map((branch) => schemaErrors(value, branch, root, at));
    if (!branches.some((e) => e.length === 0))
      return [`${at}: matches no anyOf branch (${branches.map((e) => e.join("; ")).join(" | ")})`];
  }
  const errors: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const ok = allowed.includes(actual) || (actual === "integer" && allowed.includes("number"));
    if (!ok) return [`${at}: expected ${allowed.join("|")}, got ${actual}`];
  }
  if (actual === "null") return errors;
  if (schema.enum && !(schema.enum as unknown[]).includes(value))
    errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if ("const" in schema && schema.const !== value) errors.push(`${at}: expected const ${JSON.stringify(schema.const)}`);
  if (actual === "integer" || actual === "number") {
    const n = value as number;
    if (typeof schema.minimum === "number" && n < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && n > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (actual === "string") {
    const s = value as string;
    if (typeof schema.minLength === "number" && s.length < schema.minLength)
      errors.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && s.length > schema.maxLength)
      errors.push(`${at}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(s))
      errors.push(`${at}: does not match ${schema.pattern}`);
    if (schema.format === "date-time" && (Number.isNaN(Date.parse(s)) || !/^\d{4}-\d{2}-\d{2}T/.test(s)))
      errors.push(`${at}: not a date-time`);
  }
  if (actual === "array") {
    const list = value as unknown[];
    if (typeof schema.minItems === "number" && list.length < schema.minItems)
      errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && list.length > schema.maxItems)
      errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items)
      list.forEach((item, i) => errors.push(...schemaErrors(item, schema.items as Schema, root, `${at}[${i}]`)));
  }
  if (actual === "object") {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in obj)) errors.push(`${at}: missing ${name}`);
    for (const [name, v] of Object.entries(obj)) {
      if (props[name]) errors.push(...schemaErrors(v, props[name], root, `${at}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${name}`);
    }
  }
  return errors;
}
