// Reading secrets (the API key for `keyhold login`, the key `keyhold verify` checks): a prompt that does not echo on a
// terminal, or the first line of stdin; and asking for confirmation on a terminal.
import { UsageError } from "./exit-codes.js";

// Asks on stderr and reads a line from the terminal without echoing it (Ctrl-C cancels).
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  // Raw mode (no echo) before the question: what is typed after it appears is never shown.
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = "";
    const done = (fn: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      fn();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return done(() => resolve(value));
        if (ch === "\u0003") return done(() => reject(new UsageError("cancelled")));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

// Everything on stdin (a script piping the key in), its first line.
async function readStdin(): Promise<string> {
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0] ?? "";
}

// A secret typed at a no-echo prompt (`question`) on a terminal, or piped on stdin otherwise; `what` names it when none
// is given.
export async function readSecret(question: string, what: string): Promise<string> {
  const value = (process.stdin.isTTY ? await promptHidden(question) : await readStdin()).trim();
  if (!value) throw new UsageError(`no ${what} given: type it at the prompt or pipe it on stdin`);
  return value;
}

// The API key typed at a no-echo prompt on a terminal, or piped on stdin otherwise.
export function readApiKey(): Promise<string> {
  return readSecret("API key: ", "API key");
}

// Asks a yes/no question on the terminal (stderr); true only for y or yes. Needs a terminal on stdin.
export async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl-C or Ctrl-D at the question cancels.
  const cancel = new AbortController();
  rl.on("SIGINT", () => cancel.abort());
  rl.on("close", () => cancel.abort());
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `, { signal: cancel.signal })).trim());
  } catch {
    throw new UsageError("cancelled");
  } finally {
    rl.close();
  }
}
