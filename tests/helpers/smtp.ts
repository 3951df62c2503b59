// A real SMTP server on loopback that keeps every message it receives, for tests of Keyhold's mail.
import { SMTPServer } from "smtp-server";
import { vi } from "vitest";

export type Mail = { to: string; raw: string };

// Starts the server; `unfold` joins quoted-printable soft line breaks so long lines can be matched whole.
export async function startInbox(opts: { unfold?: boolean } = {}) {
  const inbox: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(",");
        inbox.push({ to, raw: opts.unfold ? raw.replace(/=\r?\n/g, "") : raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  return {
    inbox,
    url: `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

// Starts an inbox (as startInbox) and points Keyhold's mail at it (SMTP_URL), for the modules imported after.
export async function startMailInbox(opts: { unfold?: boolean } = {}) {
  const server = await startInbox(opts);
  vi.stubEnv("SMTP_URL", server.url);
  return server;
}

// A message's Subject header decoded (folded lines joined, RFC 2047 encoded words of UTF-8 in Q or B decoded).
export function subjectOf(raw: string): string {
  const head = raw.split("\r\n\r\n", 1)[0].replace(/\r\n[ \t]+/g, " ");
  const line = /^Subject: (.*)$/im.exec(head)?.[1] ?? "";
  return line
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            "latin1",
          ).toString("utf8"),
    )
    .trim();
}

// A message's body with quoted-printable soft line breaks joined and =XX escapes decoded (UTF-8).
export function bodyOf(raw: string): string {
  const body = raw
    .split("\r\n\r\n")
    .slice(1)
    .join("\r\n\r\n")
    .replace(/=\r?\n/g, "");
  return Buffer.from(
    body.replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  ).toString("utf8");
}
