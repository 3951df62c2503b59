// Every relative link in README.md, docs/, packages/*/README.md and contrib/ resolves, anchors included (npm test).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { brokenLinks, headingAnchors, markdownFiles } from "@/scripts/docs-links";

describe("the Markdown link check", () => {
  it("reports a missing file, a missing anchor and a missing anchor in the same file, and passes good links", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kh-links-"));
    mkdirSync(path.join(dir, "docs"));
    writeFileSync(path.join(dir, "docs/target.md"), "# Target\n\n## The API server alone: `npm run start:api`\n");
    writeFileSync(
      path.join(dir, "README.md"),
      [
        "# Home",
        "",
        "## Run it",
        "",
        "[ok](docs/target.md) [ok anchor](docs/target.md#the-api-server-alone-npm-run-startapi) [own](#run-it)",
        "[web](https://example.com/missing.md) [mail](mailto:a@example.com) [dir](docs/)",
        "[gone](docs/missing.md) [bad anchor](docs/target.md#nowhere) [own bad](#walk-it)",
        "",
        "```md",
        "[inside a code block](not-checked.md)",
        "```",
      ].join("\n"),
    );
    const broken = brokenLinks(markdownFiles(dir), dir);
    expect(broken.map((b) => `${b.file} ${b.href}`)).toEqual([
      "README.md docs/missing.md",
      "README.md docs/target.md#nowhere",
      "README.md #walk-it",
    ]);
  });

  it("makes anchors as GitHub does: code spans keep their text, punctuation goes, duplicates are numbered", () => {
    const anchors = headingAnchors("# A `b.c` d!\n\n## Same\n\n## Same\n\n## Running on PostgreSQL\n");
    expect([...anchors]).toEqual(["a-bc-d", "same", "same-1", "running-on-postgresql"]);
  });

  it("finds no broken relative link in the project's Markdown", () => {
    const files = markdownFiles();
    expect(files.map((f) => path.relative(process.cwd(), f))).toEqual(
      expect.arrayContaining(["README.md", "docs/configuration.md", "contrib/README.md"]),
    );
    expect(brokenLinks(files)).toEqual([]);
  });
});
