// /api/v1/cli: `keyhold login` in the browser (device authorization, RFC 8628) and `keyhold logout` of its key.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import {
  countDeviceStart,
  DEVICE_CODE_TTL_SECONDS,
  DEVICE_STARTS_PER_MINUTE,
  pollDeviceToken,
  revokeDeviceKey,
  startDeviceAuthorization,
} from "../../cli-device/service";
import { clientIp } from "../../ip/client-ip";
import { keyActor } from "../../orgs/actor";
import { defineRoute } from "../define-route";
import { limitPerAddress } from "../guards";
import type { ApiEnv } from "../require-key";
import { requestHeaders } from "../request";
import { BAD_REQUEST, errorAnswer, jsonBody, keyRoute } from "../route-declarations";
import { CliDeviceRequest, CliDeviceSchema, CliTokenRequest, CliTokenSchema, KeySchema } from "../schemas";

export const cliRoutes = new OpenAPIHono<ApiEnv>();

// The bodies here are a few bytes; neither route needs a credential before reading one.
const MAX_BODY = 4 * 1024;

// Counts a start against its address's limit before the body is read; over it, 429 with Retry-After.
const limitStarts = limitPerAddress(
  countDeviceStart,
  "Too many sign-ins started from your address: retry after the number of seconds in Retry-After.",
);

// POST /api/v1/cli/device — start a browser sign-in: the CLI shows user_code and opens verification_uri.
defineRoute(
  cliRoutes,
  createRoute({
    method: "post",
    path: "/api/v1/cli/device",
    summary: "Start a browser sign-in for the CLI (device authorization)",
    description:
      "No authentication. Answers a device_code (the CLI's, for polling /api/v1/cli/token) and a user_code the user " +
      `checks on verification_uri after signing in; both expire in ${DEVICE_CODE_TTL_SECONDS / 60} minutes and work once. ` +
      `At most ${DEVICE_STARTS_PER_MINUTE} starts per minute from one address.`,
    middleware: [limitStarts],
    request: { body: { required: false, content: jsonBody(CliDeviceRequest) } },
    responses: {
      200: { description: "The codes and where to approve", content: jsonBody(CliDeviceSchema) },
      ...BAD_REQUEST,
      429: errorAnswer("rate_limited: too many starts from this address; see Retry-After"),
    },
  }),
  async (c, { body, reply }) => reply(await startDeviceAuthorization(body.client_name, c.get("ip"))),
  { maxBodyBytes: MAX_BODY },
);

// POST /api/v1/cli/token — the CLI's poll: the new key and its secret once approved (exactly once), else why not yet.
defineRoute(
  cliRoutes,
  createRoute({
    method: "post",
    path: "/api/v1/cli/token",
    summary: "Poll a browser sign-in: the CLI's new key once approved",
    description:
      "No authentication but the device_code. Poll no faster than `interval` seconds. Once the user approved, the " +
      "first poll answers the new key (created by the approving user, named for the machine) and its secret; every " +
      "later poll answers expired_token.",
    request: { body: { required: true, content: jsonBody(CliTokenRequest) } },
    responses: {
      200: { description: "The new key and its secret (this once)", content: jsonBody(CliTokenSchema) },
      400: errorAnswer(
        "authorization_pending (not approved yet: poll again), slow_down (polled sooner than the interval, which grew " +
          "by 5 seconds), expired_token (unknown, expired or already used code), access_denied (denied in the " +
          "browser, or the key could not be created: the message says why), invalid_request (the body names the field)",
      ),
    },
  }),
  async (c, { body, reply }) => reply(await pollDeviceToken(body.device_code, clientIp(requestHeaders(c)))),
  { maxBodyBytes: MAX_BODY },
);

// POST /api/v1/cli/logout — the calling key revokes itself, when `keyhold login` in the browser issued it (any scope).
defineRoute(
  cliRoutes,
  keyRoute({
    method: "post",
    path: "/api/v1/cli/logout",
    summary: "Revoke the calling key, issued by the CLI's browser sign-in",
    responses: { 200: { description: "The revoked key", content: jsonBody(KeySchema) } },
  }),
  async (c, { reply }) => {
    const key = c.get("key");
    return reply(await revokeDeviceKey(key, await keyActor(key, c.get("ip")), c.get("ip")));
  },
);
