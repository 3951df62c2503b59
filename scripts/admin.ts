// `npm run admin:create -- --email E [--password-file F]` (password on stdin otherwise): makes the instance administrator.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createAdministrator } from "../lib/admin/create-administrator";
import { ApiError } from "../lib/errors";
import { openClient, setDb } from "../lib/db";
import { env } from "../lib/env";
import { runShutdownHooks } from "../lib/shutdown";

const USAGE = "usage: admin create --email EMAIL [--password-file FILE]  (otherwise the password is read from stdin)";

// The password: the file's first line, or stdin's (piped); a terminal is refused so nothing is echoed or kept in history.
function readPassword(file: string | undefined): string | undefined {
  if (file !== undefined) return firstLine(readFileSync(file, "utf8"));
  if (process.stdin.isTTY) return undefined;
  return firstLine(readFileSync(0, "utf8"));
}

const firstLine = (text: string) => text.split(/\r?\n/)[0];

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== "create") throw new UsageError(USAGE);
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: "string" }, "password-file": { type: "string" } },
    strict: true,
  });
  if (!values.email) throw new UsageError(`--email is required\n${USAGE}`);
  const { DATABASE_URL, dataDir } = env();
  const { client, close } = openClient(DATABASE_URL, dataDir);
  setDb(client, { embedded: !DATABASE_URL });
  try {
    const password = readPassword(values["password-file"]);
    const { outcome, email } = await createAdministrator({ email: values.email, password });
    const said = {
      created: `Created ${email} as an administrator.`,
      promoted: `${email} existed; it is now an administrator (its password is unchanged).`,
      unchanged: `${email} is already an administrator: nothing changed.`,
    };
    console.log(said[outcome]);
  } finally {
    await runShutdownHooks();
    await close();
  }
}

class UsageError extends Error {}

main()
  .catch((err: unknown) => {
    if (err instanceof ApiError) console.error(`${err.field ?? "error"}: ${err.message}`);
    else console.error(err instanceof Error ? err.message : err);
    process.exitCode = err instanceof UsageError ? 64 : 1;
  })
  .finally(() => process.exit(process.exitCode ?? 0));
