// The secret scanning rules in contrib/secret-scanning (gitleaks and TruffleHog) read as their tools read them, and
// their regex finds freshly generated live and test keys inside text, and no near-miss.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { generateKey } from "@/lib/keys/format";

const dir = path.resolve(import.meta.dirname, "../../contrib/secret-scanning");

function gitleaksRule() {
  const config = parseToml(readFileSync(path.join(dir, "gitleaks.toml"), "utf8")) as {
    rules: { id: string; regex: string; secretGroup?: number; keywords: string[] }[];
  };
  const rule = config.rules.find((r) => r.id === "keyhold-api-key");
  if (!rule) throw new Error("gitleaks.toml has no keyhold-api-key rule");
  return { regex: rule.regex, group: rule.secretGroup ?? 0, keywords: rule.keywords };
}

function trufflehogRule() {
  const config = parseYaml(readFileSync(path.join(dir, "trufflehog.yaml"), "utf8")) as {
    detectors: { name: string; keywords: string[]; regex: Record<string, string> }[];
  };
  const detector = config.detectors.find((d) => d.name === "Keyhold");
  if (!detector) throw new Error("trufflehog.yaml has no Keyhold detector");
  // TruffleHog reports the first capture group of each named regex.
  return { regex: detector.regex.key, group: 1, keywords: detector.keywords };
}

// Every key the rule finds in `text` (global search, like a scanner going through a file).
function findAll(rule: { regex: string; group: number }, text: string): string[] {
  return [...text.matchAll(new RegExp(rule.regex, "g"))].map((m) => m[rule.group]);
}

const keys = () => [generateKey("live").secret, generateKey("test").secret];

describe.each([
  ["gitleaks", gitleaksRule],
  ["trufflehog", trufflehogRule],
])("%s rule", (_tool, load) => {
  const rule = load();

  it("has the two key prefixes as keywords", () => {
    expect([...rule.keywords].sort()).toEqual(["kh_live_", "kh_test_"]);
  });

  it("finds generated live and test keys embedded in code, config and prose", () => {
    for (let i = 0; i < 50; i++) {
      for (const key of keys()) {
        for (const text of [
          key,
          `KEYHOLD_API_KEY=${key}\n`,
          `const client = new Keyhold({ apiKey: "${key}" });`,
          `Authorization: Bearer ${key}`,
          `{"key":"${key}","other":1}`,
          `see (${key}), then`,
          `api_key: '${key}'`,
          `url?key=${key}&x=1`,
        ])
          expect(findAll(rule, text), text).toEqual([key]);
      }
    }
  });

  it("finds every key when several share a line", () => {
    const [live, test] = keys();
    expect(findAll(rule, `${live} ${test},${live}`)).toEqual([live, test, live]);
  });

  it("finds no near-miss", () => {
    const [live] = keys();
    const random = live.slice(8);
    const nearMisses = [
      `kh_prod_${random}`, // unknown environment
      `KH_LIVE_${random}`, // wrong case
      `kx_live_${random}`, // wrong prefix
      `kh-live-${random}`, // wrong separators
      `kh_live${random}`, // missing separator
      `xkh_live_${random}`, // prefix glued to a word
      `kh_live_${random.slice(1)}`, // one character short
      `kh_live_${random}Z`, // one character long
      `kh_live_${random.slice(0, 20)}-${random.slice(21)}`, // a character outside base62
      `kh_live_${random.slice(0, 20)}+${random.slice(21)}`,
      `kh_live_${random.slice(0, 20)}_${random.slice(21)}`,
      `kh_live_${random.slice(0, 20)}é${random.slice(21)}`,
      `kh_live_`,
      `sk_live_${random}`,
    ];
    for (const text of nearMisses) {
      expect(findAll(rule, text), text).toEqual([]);
      expect(findAll(rule, `token = "${text}"`), text).toEqual([]);
    }
  });
});
