// /api/v1/leaks: keys found in public — GitHub's secret scanning partner messages (signed) and anyone's report.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { clientIp } from "../../ip/client-ip";
import { handleGithubMessage } from "../../leaks/github";
import { acceptLeakReport, countLeakReport, LEAK_REPORTS_PER_MINUTE } from "../../leaks/report";
import {
  githubLeakBatchSchema,
  GithubLeakLabelsSchema,
  LeakReportAcceptedSchema,
  leakReportSchema,
} from "../../validations/leaks";
import { defineRoute } from "../define-route";
import { limitPerAddress } from "../guards";
import type { ApiEnv } from "../require-key";
import { requestHeaders } from "../request";
import { BAD_REQUEST, errorAnswer, jsonBody } from "../route-declarations";

export const leaksRoutes = new OpenAPIHono<ApiEnv>();

// Neither route needs a credential before its body arrives, so each caps the body it will read (413 beyond): GitHub's
// batches may be larger than other routes' bodies, a report much smaller.
const GITHUB_MAX_BODY = 8 * 1024 * 1024;
const REPORT_MAX_BODY = 16 * 1024;

// POST /api/v1/leaks/github — GitHub's secret scanning partner message; the body is read raw for its signature.
defineRoute(
  leaksRoutes,
  createRoute({
    method: "post",
    path: "/api/v1/leaks/github",
    summary: "GitHub secret scanning partner endpoint: revoke (or flag) the Keyhold keys GitHub found in public",
    description:
      "Called by GitHub, not by you. The raw body must carry GitHub's ECDSA P-256/SHA-256 signature: keys from " +
      "GITHUB_SECRET_SCANNING_KEYS_FILE, else https://api.github.com/meta/public_keys/secret_scanning (cached an hour). " +
      "Each real key gets the organization's leak response (revoke by default, or notify); the answer labels every " +
      "match, the token as its SHA-256. 503 service_unavailable while GitHub's public keys cannot be loaded.",
    request: {
      headers: z.object({
        "Github-Public-Key-Identifier": z
          .string()
          .meta({ description: "Which of GitHub's public keys signed the body" }),
        "Github-Public-Key-Signature": z.string().meta({ description: "ECDSA signature of the raw body, DER, base64" }),
      }),
      body: { required: true, content: jsonBody(githubLeakBatchSchema) },
    },
    responses: {
      200: { description: "One label per match, in order", content: jsonBody(GithubLeakLabelsSchema) },
      ...BAD_REQUEST,
      401: errorAnswer("unauthenticated: a signature header is missing, names an unknown key, or does not verify"),
    },
  }),
  async (c, { body, reply }) => {
    const headers = requestHeaders(c);
    return reply(await handleGithubMessage(body, headers, { ip: clientIp(headers) }));
  },
  { maxBodyBytes: GITHUB_MAX_BODY, rawBody: true },
);

// Counts a report against its address's limit before the body is read; over it, 429 with Retry-After.
const limitReports = limitPerAddress(
  countLeakReport,
  "Too many leak reports from your address: retry after the number of seconds in Retry-After.",
);

// POST /api/v1/leaks/report — anyone reports a Keyhold key found in public; always 202, whatever the key.
defineRoute(
  leaksRoutes,
  createRoute({
    method: "post",
    path: "/api/v1/leaks/report",
    summary: "Report a Keyhold key you found in a public place",
    description:
      "No authentication. Every well-formed report answers the same 202, whether the key is real, revoked or made up; " +
      "a real key gets its organization's leak response (revoke by default, or notify) shortly after. " +
      `At most ${LEAK_REPORTS_PER_MINUTE} reports per minute from one address.`,
    middleware: [limitReports],
    request: { body: { required: true, content: jsonBody(leakReportSchema) } },
    responses: {
      202: { description: "Received (the same answer for every key)", content: jsonBody(LeakReportAcceptedSchema) },
      ...BAD_REQUEST,
      429: errorAnswer("rate_limited: too many reports from this address; see Retry-After"),
    },
  }),
  (c, { body, reply }) => {
    acceptLeakReport(body, c.get("ip"));
    return reply({ status: "received" }, 202);
  },
  { maxBodyBytes: REPORT_MAX_BODY },
);
