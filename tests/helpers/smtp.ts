// A real SMTP server on loopback that keeps every message it receives, for tests of Keyhold's mail.
import { SMTPServer } from "smtp-server";

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
