// The keyhold command line: global flags, the commands, and exit codes (0 ok, 1 usage, 2 auth, 3 not found,
// 4 refused, 5 server or network).
import { createRequire } from "node:module";
import { Command, CommanderError, Help, type Option } from "commander";
import { authCommands } from "./commands/auth.js";
import { completionCommand } from "./commands/completion.js";
import { keysCommands } from "./commands/keys.js";
import { listenCommand } from "./commands/listen.js";
import { usageCommand } from "./commands/usage.js";
import { verifyCommand } from "./commands/verify.js";
import { webhooksCommands } from "./commands/webhooks.js";
import { EXIT } from "./exit-codes.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

const program = new Command("keyhold")
  .description("Manage Keyhold API keys from a terminal or a script")
  .version(version)
  .option("--endpoint <url>", "Keyhold's URL (default: KEYHOLD_ENDPOINT, then the profile)")
  .option("--api-key <key>", "API key (default: KEYHOLD_API_KEY, then the profile)")
  .option("--client-id <id>", "client ID to send as X-Client-ID (default: KEYHOLD_CLIENT_ID, then the profile)")
  .option("--profile <name>", 'credentials profile (default: KEYHOLD_PROFILE, then "default")')
  .option("--json", "print JSON instead of tables")
  .showHelpAfterError("(run keyhold --help for usage)")
  // Every command's --help lists its own options (required ones marked) and the global ones; set before the commands
  // are added, which inherit it.
  .configureHelp({
    showGlobalOptions: true,
    optionDescription: (option: Option) =>
      Help.prototype.optionDescription.call(new Help(), option) + (option.mandatory ? " (required)" : ""),
  })
  .exitOverride();

authCommands(program);
keysCommands(program);
usageCommand(program);
verifyCommand(program);
webhooksCommands(program);
listenCommand(program);
completionCommand(program);

try {
  // `keyhold` alone: the help, and success (not the usage error commander makes of it).
  if (process.argv.length <= 2) program.outputHelp();
  else await program.parseAsync(process.argv);
} catch (err) {
  // Commander already printed its message; help and version are successes, anything else a usage error.
  if (err instanceof CommanderError)
    process.exitCode =
      err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0
        ? EXIT.ok
        : EXIT.usage;
  else throw err;
}
