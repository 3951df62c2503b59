// The clients as a user outside this repository gets them: `npm run pack:clients` writes the SDK and CLI tarballs and
// the Python wheel and sdist; only those are installed, into a fresh npm project and a fresh venv in a temporary folder,
// and run against a real Keyhold. Installing from the npm registry (the tarballs' dependencies) and from pip's
// configured index makes this slow: the deadlines are generous.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startFixture, type Fixture } from "./fixture";

const MINUTE = 60_000;
let fixture: Fixture;
let stop: () => Promise<void>;
let work: string;
let artifacts: string;
const python = spawnSync("python3", ["--version"]).status === 0 ? "python3" : null;

// Runs a command with a deadline; its stdout, or an error with its stderr.
function run(
  command: string,
  args: string[],
  cwd: string,
  timeout = 5 * MINUTE,
  env: Record<string, string> = {},
): string {
  const result = spawnSync(command, args, {
    cwd,
    timeout,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 32 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status ?? result.signal}: ${result.stderr}${result.stdout}`,
    );
  return result.stdout;
}

const artifact = (pattern: RegExp) => {
  const name = readdirSync(artifacts).find((file) => pattern.test(file));
  if (!name) throw new Error(`no ${pattern} in ${artifacts}: ${readdirSync(artifacts).join(", ")}`);
  return path.join(artifacts, name);
};

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "keyhold-release-"));
  artifacts = path.join(work, "artifacts");
  run("npm", ["run", "--silent", "pack:clients", "--", artifacts], ROOT, 10 * MINUTE);
  ({ fixture, stop } = await startFixture());
}, 12 * MINUTE);
afterAll(async () => {
  await stop?.();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("npm run pack:clients", () => {
  it("writes the SDK and CLI tarballs and the Python wheel and sdist", () => {
    const names = readdirSync(artifacts).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^keyhold-sdk-\d+\.\d+\.\d+\.tgz$/),
        expect.stringMatching(/^keyhold-cli-\d+\.\d+\.\d+\.tgz$/),
        ...(python ? [expect.stringMatching(/^keyhold-.+\.whl$/), expect.stringMatching(/^keyhold-.+\.tar\.gz$/)] : []),
      ]),
    );
  });

  it("ships built code with its TSDoc, the license and the readme, and no sources", () => {
    const list = execFileSync("tar", ["-tzf", artifact(/^keyhold-sdk-.*\.tgz$/)], { encoding: "utf8" }).split("\n");
    expect(list).toEqual(
      expect.arrayContaining([
        "package/dist/index.js",
        "package/dist/index.d.ts",
        "package/LICENSE",
        "package/README.md",
      ]),
    );
    expect(list.filter((file) => file.startsWith("package/src/"))).toEqual([]);
    const declarations = execFileSync("tar", ["-xzOf", artifact(/^keyhold-sdk-.*\.tgz$/), "package/dist/client.d.ts"], {
      encoding: "utf8",
    });
    expect(declarations).toMatch(/\/\*\*[^]*?whoami[^]*?\*\/\s*whoami\(\)/);
    const cli = JSON.parse(
      execFileSync("tar", ["-xzOf", artifact(/^keyhold-cli-.*\.tgz$/), "package/package.json"], { encoding: "utf8" }),
    ) as { dependencies: Record<string, string>; bin: Record<string, string> };
    expect(cli.dependencies["@keyhold/sdk"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(cli.bin).toEqual({ keyhold: "bin/keyhold.js" });
  });
});

describe("installed from the artifacts alone, outside the repository", () => {
  let project: string;
  beforeAll(() => {
    project = path.join(work, "app");
    cpSync(path.join(ROOT, "tests/clients/release-app"), project, { recursive: true });
    run(
      "npm",
      ["install", "--no-audit", "--no-fund", artifact(/^keyhold-sdk-.*\.tgz$/), artifact(/^keyhold-cli-.*\.tgz$/)],
      project,
      8 * MINUTE,
    );
  }, 10 * MINUTE);

  it(
    "runs the CLI (npx @keyhold/cli whoami)",
    () => {
      const who = JSON.parse(
        run("npx", ["--no-install", "@keyhold/cli", "whoami", "--json"], project, MINUTE, {
          KEYHOLD_ENDPOINT: fixture.endpoint,
          KEYHOLD_API_KEY: fixture.keys.read.secret,
          XDG_CONFIG_HOME: work,
        }),
      ) as { key: { id: string } };
      expect(who.key.id).toBe(fixture.keys.read.id);
    },
    2 * MINUTE,
  );

  it(
    "imports the SDK, calls whoami and verifies a key, and the middleware entries load",
    () => {
      const answer = JSON.parse(
        run(process.execPath, ["check.mjs"], project, MINUTE, {
          KEYHOLD_ENDPOINT: fixture.endpoint,
          KEYHOLD_API_KEY: fixture.keys.read.secret,
          KEYHOLD_SERVICE_TOKEN: fixture.serviceToken,
        }),
      ) as { whoami: string; verify: [boolean, string]; express: string };
      expect(answer).toEqual({ whoami: fixture.keys.read.id, verify: [true, "VALID"], express: "function" });
      expect(existsSync(path.join(project, "node_modules/@keyhold/sdk/src"))).toBe(false);
    },
    2 * MINUTE,
  );

  it(
    "type-checks a program against the installed declarations (and refuses an unknown scope)",
    () => {
      // The project's typescript comes from the registry; the install of the tarballs brought no compiler with it.
      run(
        "npm",
        ["install", "--no-audit", "--no-fund", "typescript@5.9.3", "@types/node@20.19.43"],
        project,
        8 * MINUTE,
      );
      run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."], project, 2 * MINUTE);
      writeFileSync(
        path.join(project, "bad.ts"),
        'import { Keyhold } from "@keyhold/sdk";\nvoid new Keyhold().keys.create({ name: "n", environment: "test", scopes: ["reed"] });\n',
      );
      const failed = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."], {
        cwd: project,
        encoding: "utf8",
        timeout: 2 * MINUTE,
      });
      expect(failed.status).not.toBe(0);
      expect(failed.stdout).toMatch(/bad\.ts.*"reed"/);
    },
    10 * MINUTE,
  );
});

describe.runIf(python)("the Python wheel in a fresh venv", () => {
  it(
    "installs and calls whoami and verify",
    () => {
      const venv = path.join(work, "venv");
      run("python3", ["-m", "venv", venv], work, 2 * MINUTE);
      run(path.join(venv, "bin/python"), ["-m", "pip", "install", "--quiet", artifact(/\.whl$/)], work, 8 * MINUTE, {
        PIP_RETRIES: "1",
      });
      const out = run(
        path.join(venv, "bin/python"),
        [
          "-c",
          [
            "import json, keyhold",
            "from keyhold import Keyhold, Verifier",
            "who = Keyhold().whoami()['key']['id']",
            "import os",
            "v = Verifier().verify(os.environ['KEYHOLD_API_KEY'])",
            "print(json.dumps({'whoami': who, 'verify': [v.valid, v.code], 'from': keyhold.__file__}))",
          ].join("\n"),
        ],
        work,
        MINUTE,
        {
          KEYHOLD_ENDPOINT: fixture.endpoint,
          KEYHOLD_API_KEY: fixture.keys.read.secret,
          KEYHOLD_SERVICE_TOKEN: fixture.serviceToken,
          XDG_CONFIG_HOME: work,
          PYTHONPATH: "",
        },
      );
      const answer = JSON.parse(out) as { whoami: string; verify: [boolean, string]; from: string };
      expect(answer.whoami).toBe(fixture.keys.read.id);
      expect(answer.verify).toEqual([true, "VALID"]);
      expect(answer.from.startsWith(venv)).toBe(true);
    },
    10 * MINUTE,
  );
});

describe("a copy of packages/sdk", () => {
  it(
    "installs its devDependencies and packs on its own (prepack builds with its own tsc)",
    () => {
      const copy = path.join(work, "sdk-copy");
      cpSync(path.join(ROOT, "packages/sdk"), copy, {
        recursive: true,
        filter: (source) => !/\/(node_modules|dist)(\/|$)/.test(source),
      });
      run("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock"], copy, 8 * MINUTE);
      const packed = run("npm", ["pack", "--silent"], copy, 5 * MINUTE)
        .trim()
        .split("\n")
        .pop()!;
      expect(packed).toMatch(/^keyhold-sdk-\d+\.\d+\.\d+\.tgz$/);
      const manifest = JSON.parse(readFileSync(path.join(copy, "package.json"), "utf8")) as Record<string, unknown>;
      for (const field of ["files", "exports", "types", "engines", "license", "repository", "publishConfig"])
        expect(manifest, field).toHaveProperty(field);
    },
    15 * MINUTE,
  );
});
