// keyhold verify: ask Keyhold, as the platform's gateway does, whether a key is good (service token). The key is read
// from stdin (or a no-echo prompt), never from the command line, where shell history and `ps` would keep it.
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { action, clientFor } from "../context.js";
import { exitCodeForVerdict, UsageError } from "../exit-codes.js";
import { fields, style, when } from "../output.js";
import { readSecret } from "../prompt.js";

const repeatable = (value: string, previous: string[] = []) => [...previous, value];

// Adds `verify` to the program.
export function verifyCommand(program: Command) {
  program
    .command("verify")
    .description(
      "check a key read from stdin as a gateway would (needs the service token); exit 0 valid, 2 unknown/expired/revoked, 4 refused",
    )
    .addHelpText(
      "after",
      "\nThe key is read from stdin (a no-echo prompt on a terminal), never from the command line:\n" +
        '  printf %s "$CUSTOMER_KEY" | keyhold verify --scope read',
    )
    .argument("[key]", 'refused: pass the key on stdin instead (echo "$KEY" | keyhold verify)')
    .option("--service-token <token>", "KEYHOLD_SERVICE_TOKEN of the Keyhold server (default: that variable)")
    .option("--scope <scope>", "required scope: read, write or admin")
    .option("--permission <name>", "required permission (repeatable)", repeatable)
    .option("--cost <n>", "credits to spend (0-10000, default 1)", (v: string) => {
      if (!/^\d+$/.test(v) || Number(v) > 10_000)
        throw new InvalidArgumentError("expected a whole number from 0 to 10000");
      return Number(v);
    })
    .option("--ip <address>", "the client address to check against the key's allowlist")
    .action(
      action(
        async (
          g,
          argument: string | undefined,
          opts: {
            serviceToken?: string;
            scope?: "read" | "write" | "admin";
            permission?: string[];
            cost?: number;
            ip?: string;
          },
        ) => {
          if (argument !== undefined)
            throw new UsageError(
              "keyhold verify reads the key from stdin, not the command line (where shell history and ps keep it): " +
                'printf %s "$KEY" | keyhold verify',
            );
          const client = clientFor(g, { serviceToken: opts.serviceToken });
          // Without a service token (or endpoint) there is nothing to ask: say so before asking for the key.
          client.serviceHeaders();
          const key = await readSecret("Key to verify: ", "key to verify");
          const verdict = await client.verify(key, {
            ...(opts.scope ? { scope: opts.scope } : {}),
            ...(opts.permission ? { permissions: opts.permission } : {}),
            ...(opts.cost !== undefined ? { cost: opts.cost } : {}),
            ...(opts.ip ? { ip: opts.ip } : {}),
          });
          return {
            json: verdict,
            exitCode: exitCodeForVerdict(verdict.code),
            human: () =>
              fields([
                ["Verdict", verdict.valid ? style.green(verdict.code) : style.red(verdict.code)],
                ["Key", verdict.keyId ?? "-"],
                ["Scopes", verdict.scopes.join(", ") || "-"],
                ["Permissions", verdict.permissions.join(", ") || "-"],
                ["Expires", when(verdict.expiresAt)],
                [
                  "Rate limit",
                  verdict.ratelimit ? `${verdict.ratelimit.remaining}/${verdict.ratelimit.limit} left` : "-",
                ],
                ["Credits", verdict.credits ? String(verdict.credits.remaining) : "-"],
              ]),
          };
        },
      ),
    );
}
