// keyhold keys list|get|create|update|rotate (alias regenerate)|revoke.
import type { Key, KeyWithSecret, Scope, UpdateKeyRequest } from "@keyhold/sdk";
import { InvalidArgumentError, type Command } from "commander";
import { action, clientFor } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { fields, note, out, style, table, when } from "../output.js";
import { confirm } from "../prompt.js";

// Option parsers: a bad value is a usage error (exit 1) naming the flag.
function wholeNumber(min: number, max: number) {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return Number(value);
  };
}
const repeatable = (value: string, previous: string[] = []) => [...previous, value];

// The expiry from --expires-in DAYS or --expires-at ISO (not both); undefined when neither is given.
function expiryOf(opts: { expiresIn?: number; expiresAt?: string }): string | undefined {
  if (opts.expiresIn !== undefined && opts.expiresAt !== undefined)
    throw new UsageError("give --expires-in or --expires-at, not both");
  if (opts.expiresIn !== undefined) return new Date(Date.now() + opts.expiresIn * 86_400_000).toISOString();
  if (opts.expiresAt !== undefined) {
    const at = Date.parse(opts.expiresAt);
    if (Number.isNaN(at)) throw new UsageError(`--expires-at must be an ISO 8601 date-time: ${opts.expiresAt}`);
    return new Date(at).toISOString();
  }
  return undefined;
}

function status(key: Key): string {
  if (key.revokedAt) return style.red("revoked");
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return style.yellow("expired");
  return style.green("active");
}

function keyRows(keys: Key[]) {
  table(
    ["ID", "NAME", "PREFIX", "ENV", "SCOPES", "EXPIRES", "LAST USED", "STATUS"],
    keys.map((k) => [
      k.id,
      k.name,
      `${k.prefix}…`,
      k.environment,
      k.scopes.join(","),
      when(k.expiresAt),
      when(k.lastUsedAt),
      status(k),
    ]),
  );
}

function keyDetails(k: Key) {
  fields([
    ["ID", k.id],
    ["Name", k.name],
    ["Prefix", `${k.prefix}…`],
    ["Environment", k.environment],
    ["Scopes", k.scopes.join(", ")],
    ["Permissions", k.permissions.join(", ") || "-"],
    ["Expires", when(k.expiresAt)],
    ["IP allowlist", k.ipAllowlist.map((e) => e.value).join(", ") || "any address"],
    ["Rate limit", k.rateLimit === null ? "plan default" : `${k.rateLimit}/min`],
    [
      "Credits",
      k.credits === null
        ? "unlimited"
        : `${k.credits.remaining}${k.credits.refill ? ` (refill ${k.credits.refill.amount}/${k.credits.refill.interval})` : ""}`,
    ],
    ["Created", when(k.createdAt)],
    ["Last used", when(k.lastUsedAt)],
    ["Status", status(k)],
  ]);
}

// The key, then its secret: once, on stdout, with the warning on stderr.
function withSecret(answer: KeyWithSecret) {
  keyDetails(answer.key);
  out();
  note(style.errDim("The secret below is shown this once. Store it now."));
  out(answer.secret);
}

const SCOPES: readonly string[] = ["read", "write", "admin"] satisfies Scope[];

// The --scope values as scopes; a usage error (exit 1) names the one that is none.
function scopesOf(values: string[]): Scope[] {
  const unknown = values.find((value) => !SCOPES.includes(value));
  if (unknown !== undefined)
    throw new UsageError(`--scope: unknown scopes value ${JSON.stringify(unknown)}: use read, write or admin`);
  return values as Scope[];
}

type KeyFlags = {
  name?: string;
  scope?: string[];
  environment?: string;
  expiresIn?: number;
  expiresAt?: string;
  expiry?: boolean;
  permission?: string[];
  ip?: string[];
  clearIps?: boolean;
  rateLimit?: number;
  planRateLimit?: boolean;
  credits?: number;
  unlimitedCredits?: boolean;
};

// Adds `keys` and its subcommands to the program.
export function keysCommands(program: Command) {
  const keys = program.command("keys").description("list, inspect, create, edit, rotate and revoke API keys");

  keys
    .command("list")
    .description("the organization's keys, newest first")
    .option("--limit <n>", "keys per page (1-100)", wholeNumber(1, 100))
    .option("--cursor <cursor>", "the page after this cursor (nextCursor of the previous page)")
    .option("--all", "every page")
    .action(
      action(async (g, opts: { limit?: number; cursor?: string; all?: boolean }) => {
        const client = clientFor(g);
        if (opts.all) {
          const data: Key[] = [];
          for await (const key of client.keys.all()) data.push(key);
          return { json: { data, nextCursor: null }, human: () => keyRows(data) };
        }
        const page = await client.keys.list({
          ...(opts.limit ? { limit: opts.limit } : {}),
          ...(opts.cursor ? { cursor: opts.cursor } : {}),
        });
        return {
          json: page,
          human: () => {
            keyRows(page.data);
            if (page.nextCursor) note(style.errDim(`More: keyhold keys list --cursor ${page.nextCursor}`));
          },
        };
      }),
    );

  keys
    .command("get")
    .description("one key")
    .argument("<id>", "the key's id")
    .action(
      action(async (g, id: string) => {
        const key = await clientFor(g).keys.get(id);
        return { json: key, human: () => keyDetails(key) };
      }),
    );

  keys
    .command("create")
    .description("create a key; its secret is printed once")
    .requiredOption("--name <name>", "a name, unique among the organization's active keys")
    .requiredOption("--scope <scope>", "read, write or admin (repeatable)", repeatable)
    .requiredOption("--environment <env>", "live or test")
    .option("--expires-in <days>", "expire this many days from now", wholeNumber(1, 36_500))
    .option("--expires-at <iso>", "expire at this ISO 8601 date-time")
    .option("--permission <name>", "a catalogue permission, resource:action (repeatable)", repeatable)
    .option("--ip <address>", "an allowed IP address or CIDR range (repeatable)", repeatable)
    .option("--rate-limit <n>", "requests per minute (default: the plan's)", wholeNumber(1, 100_000))
    .option("--credits <n>", "prepaid credits (default: unlimited)", wholeNumber(0, 1_000_000_000))
    .action(
      action(async (g, opts: KeyFlags) => {
        if (opts.environment !== "live" && opts.environment !== "test")
          throw new UsageError(`--environment must be live or test: ${opts.environment}`);
        const expiresAt = expiryOf(opts);
        const created = await clientFor(g).keys.create({
          name: opts.name!,
          environment: opts.environment,
          scopes: scopesOf(opts.scope!),
          ...(expiresAt ? { expiresAt } : {}),
          ...(opts.permission ? { permissions: opts.permission } : {}),
          ...(opts.ip ? { ipAllowlist: opts.ip.map((value) => ({ value })) } : {}),
          ...(opts.rateLimit !== undefined ? { rateLimit: opts.rateLimit } : {}),
          ...(opts.credits !== undefined ? { credits: { remaining: opts.credits, refill: null } } : {}),
        });
        return { json: created, human: () => withSecret(created) };
      }),
    );

  keys
    .command("update")
    .description("rename a key or change its scopes, permissions, expiry, IP allowlist, rate limit or credits")
    .argument("<id>", "the key's id")
    .option("--name <name>", "a new name")
    .option("--scope <scope>", "replace the scopes: read, write or admin (repeatable)", repeatable)
    .option("--permission <name>", "replace the permissions (repeatable)", repeatable)
    .option("--no-permissions", "remove every permission")
    .option("--expires-in <days>", "expire this many days from now", wholeNumber(1, 36_500))
    .option("--expires-at <iso>", "expire at this ISO 8601 date-time")
    .option("--no-expiry", "never expire")
    .option("--ip <address>", "replace the IP allowlist (repeatable)", repeatable)
    .option("--clear-ips", "allow any address")
    .option("--rate-limit <n>", "requests per minute", wholeNumber(1, 100_000))
    .option("--plan-rate-limit", "use the plan's default rate limit")
    .option("--credits <n>", "set the credits remaining", wholeNumber(0, 1_000_000_000))
    .option("--unlimited-credits", "no credits limit")
    .action(
      action(async (g, id: string, opts: KeyFlags & { permissions?: boolean }) => {
        const body: UpdateKeyRequest = {};
        if (opts.name !== undefined) body.name = opts.name;
        if (opts.scope) body.scopes = scopesOf(opts.scope);
        if (opts.permission) body.permissions = opts.permission;
        else if (opts.permissions === false) body.permissions = [];
        const expiresAt = expiryOf(opts);
        if (expiresAt) body.expiresAt = expiresAt;
        else if (opts.expiry === false) body.expiresAt = null;
        if (opts.ip) body.ipAllowlist = opts.ip.map((value) => ({ value }));
        else if (opts.clearIps) body.ipAllowlist = [];
        if (opts.rateLimit !== undefined) body.rateLimit = opts.rateLimit;
        else if (opts.planRateLimit) body.rateLimit = null;
        if (opts.credits !== undefined) body.credits = { remaining: opts.credits, refill: null };
        else if (opts.unlimitedCredits) body.credits = null;
        if (Object.keys(body).length === 0)
          throw new UsageError("nothing to change: give at least one option (see keyhold keys update --help)");
        const key = await clientFor(g).keys.update(id, body);
        return { json: key, human: () => keyDetails(key) };
      }),
    );

  keys
    .command("rotate")
    .alias("regenerate")
    .description("issue a new secret (printed once); the old one works for --grace seconds more")
    .argument("<id>", "the key's id")
    .option("--grace <seconds>", "how long the old secret keeps working (0-604800, default 0)", wholeNumber(0, 604_800))
    .action(
      action(async (g, id: string, opts: { grace?: number }) => {
        const grace = opts.grace ?? 0;
        const rotated = await clientFor(g).keys.rotate(id, { gracePeriodSeconds: grace });
        return {
          json: rotated,
          human: () => {
            withSecret(rotated);
            note(
              grace > 0
                ? `The old secret keeps working until ${when(new Date(Date.now() + grace * 1000).toISOString())} (${grace} s).`
                : "The old secret stopped working now (no --grace).",
            );
          },
        };
      }),
    );

  keys
    .command("revoke")
    .description("revoke a key now (revoking again is harmless); asks first on a terminal")
    .argument("<id>", "the key's id")
    .option("-y, --yes", "do not ask for confirmation (needed when stdin is not a terminal)")
    .action(
      action(async (g, id: string, opts: { yes?: boolean }) => {
        const client = clientFor(g);
        if (!opts.yes) {
          if (!process.stdin.isTTY)
            throw new UsageError(
              "refusing to revoke without confirmation: stdin is not a terminal, so pass --yes to revoke the key",
            );
          const current = await client.keys.get(id);
          if (!(await confirm(`Revoke ${current.name} (${current.prefix}…)? Anything using it is refused at once.`)))
            throw new UsageError("not revoked");
        }
        const key = await client.keys.revoke(id);
        return { json: key, human: () => out(`Revoked ${key.name} (${key.id}) at ${when(key.revokedAt)}.`) };
      }),
    );
}
