// keyhold verify <key>: ask Keyhold, as the platform's gateway does, whether a key is good (service token).
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { action, clientFor } from "../context.js";
import { exitCodeForVerdict } from "../exit-codes.js";
import { fields, style, when } from "../output.js";

const repeatable = (value: string, previous: string[] = []) => [...previous, value];

// Adds `verify` to the program.
export function verifyCommand(program: Command) {
  program
    .command("verify")
    .description(
      "check a key as a gateway would (needs the service token); exit 0 valid, 2 unknown/expired/revoked, 4 refused",
    )
    .argument("<key>", "the API key to check")
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
          key: string,
          opts: {
            serviceToken?: string;
            scope?: "read" | "write" | "admin";
            permission?: string[];
            cost?: number;
            ip?: string;
          },
        ) => {
          const verdict = await clientFor(g, { serviceToken: opts.serviceToken }).verify(key, {
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
