// Finds broken relative links in the project's Markdown: a missing file, or a #fragment that is no heading of its target
// (GitHub's heading anchors). `tsx scripts/docs-links.ts` lists them and exits 1 if any; tests/unit/docs-links.test.ts
// runs the same check in `npm test`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import GithubSlugger from "github-slugger";
import { marked, type Token, type Tokens } from "marked";
import { isEntryPoint } from "./run-main";

const root = path.resolve(import.meta.dirname, "..");

export type BrokenLink = { file: string; href: string; reason: string };

// The Markdown files whose links are checked: README.md, docs/**, packages/*/README.md, contrib/**.
export function markdownFiles(dir = root): string[] {
  const files: string[] = [];
  const add = (file: string) => existsSync(file) && files.push(file);
  add(path.join(dir, "README.md"));
  const walk = (sub: string) => {
    const full = path.join(dir, sub);
    if (!existsSync(full)) return;
    for (const name of readdirSync(full, { recursive: true, encoding: "utf8" }).sort()) {
      if (name.split(path.sep).includes("node_modules")) continue;
      if (name.endsWith(".md")) files.push(path.join(full, name));
    }
  };
  walk("docs");
  walk("contrib");
  const packages = path.join(dir, "packages");
  if (existsSync(packages))
    for (const name of readdirSync(packages).sort()) add(path.join(packages, name, "README.md"));
  return files;
}

// The plain text of inline tokens, as GitHub slugs it (code spans keep their text, markup goes).
function plainText(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) => {
      const inner = (t as Tokens.Generic).tokens as Token[] | undefined;
      if (inner?.length) return plainText(inner);
      if (t.type === "html") return "";
      return (t as Tokens.Generic).text ?? "";
    })
    .join("");
}

// The anchors GitHub gives a Markdown document's headings, duplicates numbered (-1, -2, …).
export function headingAnchors(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === "heading") anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
  });
  return anchors;
}

// Every link and image target of a Markdown document.
export function linkTargets(markdown: string): string[] {
  const hrefs: string[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === "link" || token.type === "image") hrefs.push((token as Tokens.Link).href);
  });
  return hrefs;
}

// The broken relative links of the given Markdown files (absolute URLs and other schemes are not checked).
export function brokenLinks(files: string[], base = root): BrokenLink[] {
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (file: string) => {
    let anchors = anchorCache.get(file);
    if (!anchors) {
      anchors = headingAnchors(readFileSync(file, "utf8"));
      anchorCache.set(file, anchors);
    }
    return anchors;
  };
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const shown = path.relative(base, file);
    for (const href of linkTargets(readFileSync(file, "utf8"))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) continue;
      const [pathPart, fragment] = href.split("#", 2) as [string, string | undefined];
      const target = pathPart
        ? path.resolve(path.dirname(file), decodeURIComponent(pathPart.split("?")[0]!))
        : path.resolve(file);
      if (!existsSync(target)) {
        broken.push({ file: shown, href, reason: "no such file" });
        continue;
      }
      if (fragment === undefined || fragment === "") continue;
      if (statSync(target).isDirectory() || !target.endsWith(".md")) {
        broken.push({ file: shown, href, reason: "an anchor into a file that is not Markdown" });
        continue;
      }
      if (!anchorsOf(target).has(decodeURIComponent(fragment).toLowerCase())) {
        broken.push({ file: shown, href, reason: `no heading #${fragment} in ${path.relative(base, target)}` });
      }
    }
  }
  return broken;
}

if (isEntryPoint(import.meta.filename)) {
  const broken = brokenLinks(markdownFiles());
  for (const b of broken) console.error(`${b.file}: ${b.href} (${b.reason})`);
  console.log(broken.length ? `${broken.length} broken link(s)` : "No broken relative links.");
  process.exit(broken.length ? 1 : 0);
}
