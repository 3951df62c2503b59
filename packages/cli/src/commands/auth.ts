// keyhold login, logout, whoami: profiles in the credentials file and the calling key.
import { Keyhold } from "@keyhold/sdk";
import { credentialsPath, DEFAULT_PROFILE, readProfile, removeProfile, saveProfile } from "@keyhold/sdk/credentials";
import type { Command } from "commander";
import { action, clientFor } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { fields, out, note, style, when } from "../output.js";
import { deviceLogin, revokeOwnKey } from "../device-login.js";
import { readApiKey } from "../prompt.js";

// Adds login, logout and whoami to the program.
export function authCommands(program: Command) {
  program
    .command("login")
    .description(
      "sign in: in the browser on a terminal (a new key for this machine), or with an API key from a prompt or stdin",
    )
    .option("--web", "sign in through the browser even when stdin is not a terminal")
    .option("--no-browser", "print the sign-in URL instead of opening a browser (implies --web)")
    .option(
      "--with-key",
      "on a terminal, type an existing API key at a prompt instead of signing in through the browser",
    )
    .addHelpText(
      "after",
      "\nOn a terminal, login prints a one-time code and opens <endpoint>/cli/authorize: sign in, choose the\n" +
        "organization and scopes, and approve; the CLI receives a new key named for this machine.\n" +
        "Scripts pipe an existing key on stdin instead:\n" +
        "  echo $KEY | keyhold login --endpoint https://keys.example.com --profile ci",
    )
    .action(
      action(async (g, opts: { web?: boolean; browser: boolean; withKey?: boolean }) => {
        const profile = g.profile || process.env.KEYHOLD_PROFILE || DEFAULT_PROFILE;
        const endpoint = g.endpoint || process.env.KEYHOLD_ENDPOINT || readProfile(profile)?.endpoint;
        if (!endpoint) throw new UsageError("login needs --endpoint URL (or KEYHOLD_ENDPOINT)");
        if (!/^https?:\/\/[^/]+/i.test(endpoint))
          throw new UsageError(`--endpoint must be an http(s) URL: ${endpoint}`);
        const base = endpoint.replace(/\/+$/, "");
        const web = !g.apiKey && (opts.web || !opts.browser || (process.stdin.isTTY && !opts.withKey));
        const issued = web ? await deviceLogin(base, { openBrowser: opts.browser }) : null;
        const apiKey = issued?.secret ?? (g.apiKey || (await readApiKey()));
        const who = await new Keyhold({ endpoint, apiKey, env: {} }).whoami();
        const file = saveProfile(profile, {
          endpoint: base,
          apiKey,
          clientId: who.clientId,
          ...(issued ? { issuedBy: "browser" as const, keyId: issued.key.id } : {}),
        });
        return {
          json: {
            profile,
            endpoint: base,
            credentialsFile: file,
            key: who.key,
            organization: who.organization,
            issuedBy: issued ? "browser" : "key",
          },
          human: () => {
            out(
              issued
                ? `Signed in to ${endpoint}: new key ${style.bold(who.key.name)} (${who.key.prefix}…, ${who.key.scopes.join(", ")}) of ${who.organization.name}.`
                : `Logged in to ${endpoint} with key ${style.bold(who.key.name)} (${who.key.prefix}…) of ${who.organization.name}.`,
            );
            out(`Saved profile "${profile}" to ${file}`);
          },
        };
      }),
    );

  program
    .command("logout")
    .description("remove a profile from the credentials file, revoking its key when `login` got it from the browser")
    .option("--local", "only remove the profile, even when its key could not be revoked")
    .action(
      action(async (g, opts: { local?: boolean }) => {
        const profile = g.profile || process.env.KEYHOLD_PROFILE || DEFAULT_PROFILE;
        const saved = readProfile(profile);
        let revoked: "revoked" | "already" | "kept" | null = null;
        if (saved?.issuedBy === "browser") {
          try {
            revoked = await revokeOwnKey(saved.endpoint, saved.apiKey);
          } catch (err) {
            if (!opts.local) {
              if (err instanceof Error)
                err.message += ` (the profile is kept; \`keyhold logout --local\` removes it without revoking the key)`;
              throw err;
            }
            revoked = "kept";
          }
        }
        const removed = removeProfile(profile);
        return {
          json: { profile, removed, revoked, credentialsFile: credentialsPath() },
          human: () => {
            if (revoked === "revoked")
              out(`Revoked the key ${saved?.keyId ?? ""} this machine got from the browser sign-in.`);
            if (revoked === "kept") note(`The key ${saved?.keyId ?? ""} was not revoked: revoke it in the dashboard.`);
            if (removed) out(`Removed profile "${profile}".`);
            else note(`No profile "${profile}" in ${credentialsPath()}.`);
          },
        };
      }),
    );

  program
    .command("whoami")
    .description("the key in use, its organization and where the settings came from")
    .action(
      action(async (g) => {
        const client = clientFor(g);
        const who = await client.whoami();
        return {
          json: who,
          human: () =>
            fields([
              ["Endpoint", `${client.config.endpoint} ${style.dim(`(${client.config.sources.endpoint})`)}`],
              ["Key", `${who.key.name} (${who.key.id})`],
              ["Prefix", `${who.key.prefix}…`],
              ["Environment", who.key.environment],
              ["Scopes", who.key.scopes.join(", ")],
              ["Permissions", who.key.permissions.join(", ") || "-"],
              ["Expires", when(who.key.expiresAt)],
              ["Organization", `${who.organization.name} (${who.organization.slug}, ${who.organization.plan})`],
              ["Client ID", who.clientId],
              ["Key from", client.config.sources.apiKey ?? "-"],
            ]),
        };
      }),
    );
}
