// Reading the API key for `keyhold login`: a prompt that does not echo on a terminal, or the first line of stdin.
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
        if (ch === "\u0003") return done(() => reject(new UsageError("login cancelled")));
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

// The API key typed at a no-echo prompt on a terminal, or piped on stdin otherwise.
export async function readApiKey(): Promise<string> {
  const key = (process.stdin.isTTY ? await promptHidden("API key: ") : await readStdin()).trim();
  if (!key) throw new UsageError("no API key given: type it at the prompt or pipe it on stdin");
  return key;
}
