// Webhook signing secrets: `whsec_` + base64 of 24 random bytes (the Standard Webhooks form), sealed at rest in the
// secret box that also holds TOTP secrets.
import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "../secret-box";

// A new signing secret, to be shown once.
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

// The secret as stored.
export function sealWebhookSecret(secret: string): string {
  return encryptSecret(secret);
}

// The secret of a stored endpoint, for signing.
export function openWebhookSecret(secretEnc: string): string {
  return decryptSecret(secretEnc);
}
