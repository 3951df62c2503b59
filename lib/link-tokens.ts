// One-time link tokens (password reset, invitations): 32 random bytes in base64url, kept at rest only as their
// SHA-256, and the absolute URL a mailed or copied link points to.
import { createHash, randomBytes } from "node:crypto";
import { env } from "./env";

// A fresh token for a one-time link.
export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

// What is stored in place of a token: its SHA-256, hex.
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

// `path` on the dashboard's public URL (NEXTAUTH_URL, else localhost on PORT).
export function publicUrl(path: string): string {
  return new URL(path, env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`).toString();
}
