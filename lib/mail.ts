// Outgoing mail through nodemailer when SMTP_URL is set; sent off the request path (so a response's timing does not
// depend on whether a mail went out), and awaited at shutdown.
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "./env";
import { onShutdown } from "./shutdown";
import { stripControlCharacters } from "./validations/text";

let transport: Transporter | undefined;
const inFlight = new Set<Promise<void>>();

// Whether this instance can send mail (SMTP_URL is set).
export function mailEnabled(): boolean {
  return env().SMTP_URL !== undefined;
}

// A name (organization, key) as it goes into a mail: plain text on one line, without the control, line-break and bidi
// override characters that rows saved before names refused them may still hold.
export function mailName(name: string): string {
  return stripControlCharacters(name);
}

// Queues a plain-text mail from MAIL_FROM (the subject kept to one line of plain text); delivery failures are logged,
// never thrown to the caller.
export function sendMail(message: { to: string; subject: string; text: string }): void {
  const url = env().SMTP_URL;
  if (!url) return;
  if (!transport) {
    transport = nodemailer.createTransport(url);
    onShutdown("mail", mailIdle);
  }
  const delivery: Promise<void> = transport
    .sendMail({ from: env().MAIL_FROM, ...message, subject: stripControlCharacters(message.subject) })
    .then(() => undefined)
    .catch((err: unknown) => console.error("mail delivery failed:", err instanceof Error ? err.message : String(err)))
    .finally(() => inFlight.delete(delivery));
  inFlight.add(delivery);
}

// Resolves once every queued mail has been handed to the SMTP server (or failed).
export async function mailIdle(): Promise<void> {
  while (inFlight.size > 0) await Promise.all(inFlight);
}
