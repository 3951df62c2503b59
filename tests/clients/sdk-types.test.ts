// The SDK's types: the generated files match what the server generates now; what the package entries export and how
// strictly it is typed (scopes as the union, the verify answer narrowed by `valid`, no internal helpers); and the TSDoc
// of every public method and option reaching the built declarations (packages/sdk/dist, built by test:clients).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { staleFiles } from "../../scripts/openapi-export";
import { ROOT } from "./fixture";

describe("generated SDK files", () => {
  it("are current with the app's OpenAPI document and error table (npm run sdk:generate rewrites them)", async () => {
    expect(await staleFiles()).toEqual([]);
  });
});

// A scratch folder inside the repository, so that "@keyhold/sdk" resolves to the workspace package's dist.
const scratch = mkdtempSync(path.join(ROOT, "node_modules", ".keyhold-types-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;

// The compiler's errors for one program using the package, as "line: message".
function diagnostics(source: string): string[] {
  const file = path.join(scratch, `program-${serial++}.ts`);
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ["node"],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

describe("@keyhold/sdk types", () => {
  it("types scopes as read | write | admin: a misspelt scope does not compile", () => {
    const errors = diagnostics(
      [
        'import { Keyhold } from "@keyhold/sdk";',
        "const k = new Keyhold();",
        'void k.keys.create({ name: "n", environment: "test", scopes: ["read", "admin"] });',
        'void k.keys.create({ name: "n", environment: "test", scopes: ["reed"] });',
        'void k.keys.update("id", { scopes: ["writ"] });',
      ].join("\n"),
    );
    expect(errors).toEqual([expect.stringMatching(/^4: .*"reed"/), expect.stringMatching(/^5: .*"writ"/)]);
  });

  it("narrows the verify answer by valid", () => {
    const errors = diagnostics(
      [
        'import { createVerifier, type VerifyResponse } from "@keyhold/sdk";',
        "export async function f(answer: VerifyResponse) {",
        "  if (answer.valid) {",
        "    const id: string = answer.keyId;",
        '    const code: "VALID" = answer.code;',
        "    return [id, code];",
        "  }",
        '  const refused: "VALID" = answer.code;',
        '  const verdict = await createVerifier().verify("k");',
        "  const unnarrowed: string = verdict.keyId;",
        '  if (verdict.code === "SERVICE_UNAVAILABLE") return [verdict.message];',
        "  return [refused, unnarrowed];",
        "}",
      ].join("\n"),
    );
    expect(errors).toEqual([expect.stringMatching(/^8: /), expect.stringMatching(/^10: .*null/)]);
  });

  it("exports no internal helpers from the package entry", () => {
    const errors = diagnostics(
      [
        'import { bearerKey, refusalAnswer, ERROR_STATUS, MAX_CACHE_TTL_MS, resolveConfig } from "@keyhold/sdk";',
        'import { resolveConfig as fromCredentials } from "@keyhold/sdk/credentials";',
        "void [bearerKey, refusalAnswer, ERROR_STATUS, MAX_CACHE_TTL_MS, resolveConfig, fromCredentials];",
      ].join("\n"),
    );
    for (const name of ["bearerKey", "refusalAnswer", "ERROR_STATUS", "MAX_CACHE_TTL_MS", "resolveConfig"])
      expect(errors.join("\n")).toMatch(new RegExp(`has no exported member '${name}'`));
    expect(errors).toHaveLength(5);
  });

  it("documents everything the entries export, with each public method, property and option, in dist", () => {
    const dist = path.join(ROOT, "packages/sdk/dist");
    const entries = ["index", "hono", "express", "next", "credentials-entry"].map((e) => path.join(dist, `${e}.d.ts`));
    const program = ts.createProgram(entries, { noEmit: true, skipLibCheck: true, types: [] });
    const checker = program.getTypeChecker();
    const undocumented = new Set<string>();
    const documented = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
    for (const entry of entries) {
      const entryModule = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
      for (const exported of checker.getExportsOfModule(entryModule)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const name = symbol.getName();
        // The generated OpenAPI types (schema.d.ts) and their names in types.d.ts are documented by the API document.
        if (["components", "paths"].includes(name)) continue;
        for (const declaration of symbol.declarations ?? []) {
          const file = path.basename(declaration.getSourceFile().fileName);
          if (file === "schema.d.ts" || file === "types.d.ts") continue;
          if (!documented(declaration)) undocumented.add(`${file}: ${name}`);
          const members = ts.isClassDeclaration(declaration)
            ? declaration.members
            : ts.isTypeAliasDeclaration(declaration) && name.endsWith("Options")
              ? collectProperties(declaration.type)
              : [];
          for (const member of members) {
            const isPrivate = ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Private;
            if (isPrivate || ts.isIndexSignatureDeclaration(member) || documented(member)) continue;
            undocumented.add(`${file}: ${name}.${member.name?.getText() ?? "constructor"}`);
          }
        }
      }
    }
    expect([...undocumented]).toEqual([]);
  });
});

// The property signatures of an options type: its own object literals, through intersections.
function collectProperties(type: ts.TypeNode): ts.TypeElement[] {
  if (ts.isTypeLiteralNode(type)) return [...type.members];
  if (ts.isIntersectionTypeNode(type)) return type.types.flatMap(collectProperties);
  return [];
}
