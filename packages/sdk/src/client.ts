// Keyhold: the typed REST client (openapi-fetch on the generated types), one method per route of /api/v1.
import createClient, { type Client } from "openapi-fetch";
import { resolveConfig, type ConfigInput, type ResolvedConfig } from "./credentials.js";
import { errorFromResponse, KeyholdError, unexpectedResponse } from "./errors.js";
import { DEFAULT_RETRY, retryingFetch } from "./http.js";
import { verifyWebhook, type WebhookEvent, type WebhookHeaders } from "./webhooks.js";
import type { paths } from "./schema.js";
import type {
  AuditEventList,
  AuditQuery,
  CreateKeyRequest,
  Key,
  KeyList,
  KeyWithSecret,
  ListKeysQuery,
  MemberList,
  Organization,
  PermissionCatalogue,
  PermissionList,
  Ping,
  UpdateKeyRequest,
  Usage,
  UsageQuery,
  VerifyRequest,
  VerifyResponse,
  Webhook,
  WebhookDeliveriesQuery,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookList,
  WebhookTest,
  WebhookWithSecret,
  CreateWebhookRequest,
  UpdateWebhookRequest,
  LeakReport,
  LeakReportAccepted,
  Whoami,
} from "./types.js";

/** Options of {@link Keyhold}: where to call, with which key, and how patiently. */
export type KeyholdOptions = ConfigInput & {
  /** The service token (KEYHOLD_SERVICE_TOKEN) for verify and the permission catalogue's replacement. */
  serviceToken?: string;
  /** Each attempt's deadline in milliseconds (default 10 000); past it the call fails with `timeout`. */
  timeoutMs?: number;
  /**
   * Attempts after the first (default 2), with exponential backoff, for calls that are safe to repeat (GET, PUT, PATCH,
   * DELETE, revoke) after a network failure, a timeout or a 5xx. Creating or rotating is sent once. A 429 is never
   * retried: it throws `rate_limited` (or `usage_exceeded`, `locked`) at once with `retryAfter`.
   */
  maxRetries?: number;
  /** Environment to read KEYHOLD_* and the credentials file's location from (default process.env). */
  env?: Record<string, string | undefined>;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
};

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * The client. Configuration: arguments, then KEYHOLD_API_KEY / KEYHOLD_CLIENT_ID / KEYHOLD_ENDPOINT, then the
 * credentials file's profile. Every method resolves to the answer's body or throws a KeyholdError.
 */
export class Keyhold {
  /** The settings in use and where each came from. */
  readonly config: ResolvedConfig;
  /** `/api/v1/keys`: the organization's keys. */
  readonly keys: KeysApi;
  /** `/api/v1/permissions`: the platform's permission catalogue. */
  readonly permissions: PermissionsApi;
  /** `/api/v1/members`: the organization's members. */
  readonly members: MembersApi;
  /** `/api/v1/webhooks`: webhook endpoints and their delivery log. */
  readonly webhooks: WebhooksApi;
  /** `/api/v1/audit`: the organization's audit log. */
  readonly audit: AuditApi;
  private readonly api: Client<paths>;
  private readonly serviceToken: string | null;

  /** A client from the options, else KEYHOLD_* variables, else the credentials file (checked at the first call). */
  constructor(options: KeyholdOptions = {}) {
    const env = options.env ?? process.env;
    this.config = resolveConfig(options, env);
    this.serviceToken = options.serviceToken || env.KEYHOLD_SERVICE_TOKEN || null;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    this.api = createClient<paths>({
      baseUrl: this.config.endpoint ?? "http://keyhold.invalid",
      fetch: retryingFetch({
        maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries,
        timeoutMs: options.timeoutMs ?? DEFAULT_RETRY.timeoutMs,
        backoffMs: DEFAULT_RETRY.backoffMs,
        fetch: (request) => fetchImpl(request),
      }),
    });
    this.keys = new KeysApi(this);
    this.permissions = new PermissionsApi(this);
    this.members = new MembersApi(this);
    this.webhooks = new WebhooksApi(this);
    this.audit = new AuditApi(this);
  }

  /** @internal The headers of a key-authenticated call; throws no_credentials when no key or endpoint is configured. */
  keyHeaders(): Record<string, string> {
    if (!this.config.apiKey)
      throw new KeyholdError("no_credentials", "no credentials: run `keyhold login` or set KEYHOLD_API_KEY");
    this.requireEndpoint();
    return {
      Authorization: `Bearer ${this.config.apiKey}`,
      ...(this.config.clientId ? { "X-Client-ID": this.config.clientId } : {}),
    };
  }

  /** @internal The headers of a service-token call (verify, the permission catalogue's replacement). */
  serviceHeaders(): Record<string, string> {
    this.requireEndpoint();
    if (!this.serviceToken)
      throw new KeyholdError("no_credentials", "no service token: pass serviceToken or set KEYHOLD_SERVICE_TOKEN");
    return { Authorization: `Bearer ${this.serviceToken}` };
  }

  private requireEndpoint() {
    const endpoint = this.config.endpoint;
    if (!endpoint) throw new KeyholdError("no_credentials", "no endpoint: run `keyhold login` or set KEYHOLD_ENDPOINT");
    if (!/^https?:$/.test(URL.canParse(endpoint) ? new URL(endpoint).protocol : ""))
      throw new KeyholdError(
        "invalid_endpoint",
        `endpoint must be an http(s) URL such as https://keys.example.com: ${endpoint} (from ${this.config.sources.endpoint})`,
      );
  }

  /** The raw typed openapi-fetch client, for anything the methods do not cover. */
  get raw(): Client<paths> {
    return this.api;
  }

  /**
   * @internal The answer's body, or the KeyholdError its error body describes. (Methods are async so that a configuration error
   * rejects like any other.)
   */
  async unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
    const { data, error, response } = await call;
    if (!response.ok) throw errorFromResponse(response, error, this.config.endpoint ?? response.url);
    if (data === undefined || data === null || typeof data !== "object")
      throw unexpectedResponse(response, data ?? null, this.config.endpoint ?? response.url);
    return data;
  }

  /** POST /api/v1/leaks/report — report a Keyhold key found in a public place (no key needed; always 202). */
  async reportLeak(report: LeakReport): Promise<LeakReportAccepted> {
    this.requireEndpoint();
    return this.unwrap(this.api.POST("/api/v1/leaks/report", { body: report }));
  }

  /** GET /api/v1/ping — liveness and the caller's address as Keyhold sees it (no key needed). */
  async ping(): Promise<Ping> {
    this.requireEndpoint();
    return this.unwrap(this.api.GET("/api/v1/ping"));
  }

  /** GET /api/v1/whoami — the calling key and its organization. */
  async whoami(): Promise<Whoami> {
    return this.unwrap(this.api.GET("/api/v1/whoami", { headers: this.keyHeaders() }));
  }

  /** GET /api/v1/organization — the key's organization: identity, plan and policies. */
  async organization(): Promise<Organization> {
    return this.unwrap(this.api.GET("/api/v1/organization", { headers: this.keyHeaders() }));
  }

  /** GET /api/v1/usage — requests over time by outcome, with totals (range or from/to, interval, keyId, tz). */
  async usage(query: UsageQuery = {}): Promise<Usage> {
    return this.unwrap(this.api.GET("/api/v1/usage", { params: { query }, headers: this.keyHeaders() }));
  }

  /** POST /api/v1/verify — the gateway's question, uncached (createVerifier fails closed instead of throwing). */
  async verify(key: string, options: Omit<VerifyRequest, "key"> = {}): Promise<VerifyResponse> {
    const answer = this.api.POST("/api/v1/verify", { body: { key, ...options }, headers: this.serviceHeaders() });
    // The schema's `valid: boolean` is narrowed by the server's guarantee: valid exactly when the code is VALID.
    return (await this.unwrap(answer)) as VerifyResponse;
  }
}

/** /api/v1/keys: the organization's keys. */
export class KeysApi {
  /** @internal Made by {@link Keyhold}: use `keyhold.keys`, `.permissions`, `.members`, `.webhooks`. */
  constructor(private readonly client: Keyhold) {}

  /** GET /api/v1/keys — one page of keys, newest first; pass nextCursor back as cursor for the next. */
  async list(query: ListKeysQuery = {}): Promise<KeyList> {
    const c = this.client;
    return c.unwrap(c.raw.GET("/api/v1/keys", { params: { query }, headers: c.keyHeaders() }));
  }

  /** Every key, page after page. */
  async *all(pageSize = 100): AsyncGenerator<Key> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ limit: pageSize, ...(cursor ? { cursor } : {}) });
      yield* page.data;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** GET /api/v1/keys/{id} — one key. */
  async get(id: string): Promise<Key> {
    const c = this.client;
    return c.unwrap(c.raw.GET("/api/v1/keys/{id}", { params: { path: { id } }, headers: c.keyHeaders() }));
  }

  /** POST /api/v1/keys — create a key; the answer's secret is shown this once. */
  async create(body: CreateKeyRequest): Promise<KeyWithSecret> {
    const c = this.client;
    return c.unwrap(c.raw.POST("/api/v1/keys", { body, headers: c.keyHeaders() }));
  }

  /** PATCH /api/v1/keys/{id} — rename, or change scopes, permissions, expiry, IP allowlist, rate limit or credits. */
  async update(id: string, body: UpdateKeyRequest): Promise<Key> {
    const c = this.client;
    return c.unwrap(c.raw.PATCH("/api/v1/keys/{id}", { params: { path: { id } }, body, headers: c.keyHeaders() }));
  }

  /** POST /api/v1/keys/{id}/rotate — a new secret (shown this once); the old one works for gracePeriodSeconds more. */
  async rotate(id: string, options: { gracePeriodSeconds?: number } = {}): Promise<KeyWithSecret> {
    const c = this.client;
    return c.unwrap(
      c.raw.POST("/api/v1/keys/{id}/rotate", {
        params: { path: { id } },
        body: { gracePeriodSeconds: options.gracePeriodSeconds ?? 0 },
        headers: c.keyHeaders(),
      }),
    );
  }

  /** POST /api/v1/keys/{id}/revoke — revoke now (revoking again answers the same). */
  async revoke(id: string): Promise<Key> {
    const c = this.client;
    return c.unwrap(c.raw.POST("/api/v1/keys/{id}/revoke", { params: { path: { id } }, headers: c.keyHeaders() }));
  }
}

/** /api/v1/permissions: the platform's permission catalogue. */
export class PermissionsApi {
  /** @internal Made by {@link Keyhold}: use `keyhold.keys`, `.permissions`, `.members`, `.webhooks`. */
  constructor(private readonly client: Keyhold) {}

  /** GET /api/v1/permissions — the catalogue (any key). */
  async list(): Promise<PermissionList> {
    const c = this.client;
    return c.unwrap(c.raw.GET("/api/v1/permissions", { headers: c.keyHeaders() }));
  }

  /** PUT /api/v1/permissions — replace the catalogue (service token). */
  async replace(catalogue: PermissionCatalogue): Promise<PermissionList> {
    const c = this.client;
    return c.unwrap(c.raw.PUT("/api/v1/permissions", { body: catalogue, headers: c.serviceHeaders() }));
  }
}

/** /api/v1/members: the organization's members. */
export class MembersApi {
  /** @internal Made by {@link Keyhold}: use `keyhold.keys`, `.permissions`, `.members`, `.webhooks`. */
  constructor(private readonly client: Keyhold) {}

  /** GET /api/v1/members — every member with role and MFA, in the order they joined. */
  async list(): Promise<MemberList> {
    const c = this.client;
    return c.unwrap(c.raw.GET("/api/v1/members", { headers: c.keyHeaders() }));
  }
}

/** /api/v1/audit: the organization's audit log (admin scope; the key's creator must be an admin or owner). */
export class AuditApi {
  /** @internal Made by {@link Keyhold}: use `keyhold.audit`. */
  constructor(private readonly client: Keyhold) {}

  /** GET /api/v1/audit — one page of events, newest first (action, actorId, keyId, from, to, cursor, limit). */
  async list(query: AuditQuery = {}): Promise<AuditEventList> {
    const c = this.client;
    return c.unwrap(c.raw.GET("/api/v1/audit", { params: { query }, headers: c.keyHeaders() }));
  }
}

/** /api/v1/webhooks: the organization's webhook endpoints and their delivery log (admin scope). */
export class WebhooksApi {
  /** @internal Made by {@link Keyhold}: use `keyhold.keys`, `.permissions`, `.members`, `.webhooks`. */
  constructor(private readonly client: Keyhold) {}

  /**
   * In your receiver: the event of a delivery signed with the endpoint's `secret` (whsec_…), less than 5 minutes old;
   * throws `invalid_signature` otherwise. Needs no key: `new Keyhold().webhooks.verify(rawBody, req.headers, secret)`.
   */
  verify(payload: string | Uint8Array, headers: WebhookHeaders, secret: string): WebhookEvent {
    return verifyWebhook(payload, headers, secret);
  }

  /** GET /api/v1/webhooks — every endpoint. */
  async list(): Promise<WebhookList> {
    const c = this.client;
    return c.unwrap(c.raw.GET("/api/v1/webhooks", { headers: c.keyHeaders() }));
  }

  /** POST /api/v1/webhooks — add an endpoint; the answer's signing secret (whsec_…) is shown this once. */
  async create(body: CreateWebhookRequest): Promise<WebhookWithSecret> {
    const c = this.client;
    return c.unwrap(c.raw.POST("/api/v1/webhooks", { body, headers: c.keyHeaders() }));
  }

  /** GET /api/v1/webhooks/{id} — one endpoint. */
  async get(id: string): Promise<Webhook> {
    const c = this.client;
    return c.unwrap(c.raw.GET("/api/v1/webhooks/{id}", { params: { path: { id } }, headers: c.keyHeaders() }));
  }

  /** PATCH /api/v1/webhooks/{id} — change the URL, events or description, or enable/disable it. */
  async update(id: string, body: UpdateWebhookRequest): Promise<Webhook> {
    const c = this.client;
    return c.unwrap(c.raw.PATCH("/api/v1/webhooks/{id}", { params: { path: { id } }, body, headers: c.keyHeaders() }));
  }

  /** DELETE /api/v1/webhooks/{id} — remove it with its delivery log. */
  async delete(id: string): Promise<{ id: string; deleted: true }> {
    const c = this.client;
    return c.unwrap(c.raw.DELETE("/api/v1/webhooks/{id}", { params: { path: { id } }, headers: c.keyHeaders() }));
  }

  /** GET /api/v1/webhooks/{id}/deliveries — the delivery log, newest first, each with its attempts. */
  async deliveries(id: string, query: WebhookDeliveriesQuery = {}): Promise<WebhookDeliveryList> {
    const c = this.client;
    return c.unwrap(
      c.raw.GET("/api/v1/webhooks/{id}/deliveries", { params: { path: { id }, query }, headers: c.keyHeaders() }),
    );
  }

  /**
   * POST /api/v1/webhooks/{id}/test — queue a signed `webhook.test` event to this endpoint only, through the normal
   * delivery path; resolves to `{deliveryId, eventId}` (see `deliveries(id)` for how it went). Sent once.
   */
  async test(id: string): Promise<WebhookTest> {
    const c = this.client;
    return c.unwrap(c.raw.POST("/api/v1/webhooks/{id}/test", { params: { path: { id } }, headers: c.keyHeaders() }));
  }

  /** POST /api/v1/webhooks/{id}/deliveries/{d}/retry — one more attempt now. */
  async redeliver(id: string, deliveryId: string): Promise<WebhookDelivery> {
    const c = this.client;
    return c.unwrap(
      c.raw.POST("/api/v1/webhooks/{id}/deliveries/{d}/retry", {
        params: { path: { id, d: deliveryId } },
        headers: c.keyHeaders(),
      }),
    );
  }
}
