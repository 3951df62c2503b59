// The secret box: AES-256-GCM encryption of secrets at rest (TOTP secrets, webhook signing secrets), as
// "v1:<iv>:<tag>:<ciphertext>" (base64url parts).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "./env";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {}

// The 32-byte encryption key: MFA_ENCRYPTION_KEY, or HKDF-SHA256 of the auth secret (info "keyhold-mfa": the name
// predates the webhook secrets, and changing it would make every stored secret unreadable).
export function secretBoxKey(): Buffer {
  const { MFA_ENCRYPTION_KEY, authSecret } = env();
  if (MFA_ENCRYPTION_KEY) return Buffer.from(MFA_ENCRYPTION_KEY, "hex");
  return Buffer.from(hkdfSync("sha256", authSecret, Buffer.alloc(0), "keyhold-mfa", 32));
}

// Encrypts a secret with a fresh random IV.
export function encryptSecret(plaintext: string, key: Buffer = secretBoxKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString("base64url"));
  return [VERSION, ...parts].join(":");
}

// Decrypts a value from encryptSecret; throws SecretBoxError when it is malformed, tampered with or under another key.
export function decryptSecret(value: string, key: Buffer = secretBoxKey()): string {
  const [version, iv, tag, ciphertext, ...rest] = value.split(":");
  if (version !== VERSION || rest.length > 0 || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new SecretBoxError("Unsupported encrypted secret format");
  }
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES)
    throw new SecretBoxError("Unsupported encrypted secret format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("Encrypted secret failed authentication");
  }
}
