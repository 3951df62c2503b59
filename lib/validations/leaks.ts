// Leak report inputs and answers: the public report form of POST /api/v1/leaks/report and GitHub's secret scanning
// partner payload for POST /api/v1/leaks/github, shared by the routes, the OpenAPI document and the tests.
import { z } from "zod";
import { safeText } from "./text";

export const MAX_REPORTED_KEY_LENGTH = 200;
export const MAX_LEAK_URL_LENGTH = 2048;
// More matches than GitHub sends in one message; a bigger batch is refused rather than half handled.
export const MAX_GITHUB_MATCHES = 10_000;

// Where a leaked key was seen: an http(s) URL of at most 2048 characters.
export const leakUrlSchema = z
  .string({ error: "URL must be a string" })
  .max(MAX_LEAK_URL_LENGTH, `URL must be at most ${MAX_LEAK_URL_LENGTH} characters`)
  .pipe(z.httpUrl({ error: "URL must be an http:// or https:// URL" }));

// POST /api/v1/leaks/report — anyone reports a key they found, with where they found it.
export const leakReportSchema = z
  .object({
    key: z
      .string({ error: "Key is required and must be a string" })
      .max(MAX_REPORTED_KEY_LENGTH, `Key must be at most ${MAX_REPORTED_KEY_LENGTH} characters`)
      .check(safeText("Key")),
    url: leakUrlSchema.optional(),
  })
  .meta({
    id: "LeakReport",
    description: "A Keyhold key found in a public place, and optionally the URL where it was found",
  });

export type LeakReportData = z.infer<typeof leakReportSchema>;

// The one answer to every accepted report, whatever the key was (no oracle).
export const LeakReportAcceptedSchema = z
  .strictObject({ status: z.literal("received") })
  .meta({ id: "LeakReportAccepted", description: "The same answer for every report, valid key or not" });

// One match in GitHub's secret scanning message (fields GitHub may add later are ignored).
const githubMatchSchema = z.object({
  token: z.string({ error: "token must be a string" }).max(10_000, "token must be at most 10000 characters"),
  type: z.string({ error: "type must be a string" }).max(200, "type must be at most 200 characters"),
  url: z.string({ error: "url must be a string" }).max(10_000, "url must be at most 10000 characters").default(""),
  source: z.string({ error: "source must be a string" }).max(200, "source must be at most 200 characters").optional(),
});

export const githubLeakBatchSchema = z
  .array(githubMatchSchema, { error: "The body must be a JSON array of secret matches" })
  .max(MAX_GITHUB_MATCHES, `At most ${MAX_GITHUB_MATCHES} matches per message`)
  .meta({
    id: "GithubSecretScanningMatches",
    description:
      "GitHub's secret scanning partner message: the raw body is signed (ECDSA P-256, SHA-256) with the key named in Github-Public-Key-Identifier",
  });

export type GithubLeakMatch = z.infer<typeof githubMatchSchema>;

// GitHub's false-positive feedback: one label per match, the token as its SHA-256 (never echoed in clear).
export const GithubLeakLabelsSchema = z
  .array(
    z.strictObject({
      token_hash: z.string().meta({ description: "SHA-256 of the token, hex" }),
      token_type: z.string(),
      label: z.enum(["true_positive", "false_positive"]),
    }),
  )
  .meta({
    id: "GithubSecretScanningLabels",
    description: "true_positive: a Keyhold key (revoked, marked or already dead); false_positive: not a Keyhold key",
  });
