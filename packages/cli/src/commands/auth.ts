// keyhold login, logout, whoami: profiles in the credentials file and the calling key.
import { Keyhold } from "@keyhold/sdk";
import { credentialsPath, DEFAULT_PROFILE, readProfile, removeProfile, saveProfile } from "@keyhold/sdk/credentials";
import type { Command } from "commander";
import { action, clientFor } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { fields, out, note, style, when } from "../output.js";
import { readApiKey } from "../prompt.js";

// Adds login, logout and whoami to the program.
export function authCommands(program: Command) {
  program
    .command("login")
    .description("save an endpoint and API key as a profile, after checking them with whoami")
    .addHelpText(
      "after",
      "\nThe key is read from a prompt that does not echo, or from stdin when stdin is not a terminal:\n" +
        "  echo $KEY | keyhold login --endpoint https://keys.example.com --profile ci",
    )
    .action(
      action(async (g) => {
        const profile = g.profile || process.env.KEYHOLD_PROFILE || DEFAULT_PROFILE;
        const endpoint = g.endpoint || process.env.KEYHOLD_ENDPOINT || readProfile(profile)?.endpoint;
        if (!endpoint) throw new UsageError("login needs --endpoint URL (or KEYHOLD_ENDPOINT)");
        if (!/^https?:\/\/[^/]+/i.test(endpoint))
          throw new UsageError(`--endpoint must be an http(s) URL: ${endpoint}`);
        const apiKey = g.apiKey || (await readApiKey());
        const who = await new Keyhold({ endpoint, apiKey, env: {} }).whoami();
        const file = saveProfile(profile, { endpoint: endpoint.replace(/\/+$/, ""), apiKey, clientId: who.clientId });
        return {
          json: {
            profile,
            endpoint: endpoint.replace(/\/+$/, ""),
            credentialsFile: file,
            key: who.key,
            organization: who.organization,
          },
          human: () => {
            out(
              `Logged in to ${endpoint} with key ${style.bold(who.key.name)} (${who.key.prefix}…) of ${who.organization.name}.`,
            );
            out(`Saved profile "${profile}" to ${file}`);
          },
        };
      }),
    );

  program
    .command("logout")
    .description("remove a profile from the credentials file")
    .action(
      action(async (g) => {
        const profile = g.profile || process.env.KEYHOLD_PROFILE || DEFAULT_PROFILE;
        const removed = removeProfile(profile);
        return {
          json: { profile, removed, credentialsFile: credentialsPath() },
          human: () =>
            removed ? out(`Removed profile "${profile}".`) : note(`No profile "${profile}" in ${credentialsPath()}.`),
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
