// Key format: kh_live_/kh_test_ + 32 random base62 + 6 base62 CRC32 of everything before it, checked without any database access.
import { crc32 } from "node:zlib";
import { BASE62, randomBase62 } from "../random";
import type { KeyEnvironment } from "../generated/prisma/enums";

const KEY_RANDOM_LENGTH = 32;
const KEY_CHECKSUM_LENGTH = 6;
const KEY_PREFIX_LENGTH = 12;

const KEY_PATTERN = /^kh_(live|test)_([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

// Base62 of a CRC32, left-padded to 6 characters (62^6 > 2^32).
export function checksum(body: string): string {
  let value = crc32(body);
  let out = "";
  for (let i = 0; i < KEY_CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

// A fresh secret for an environment, with its 12-character display prefix.
export function generateKey(environment: KeyEnvironment): { secret: string; prefix: string } {
  const body = `kh_${environment}_${randomBase62(KEY_RANDOM_LENGTH)}`;
  const secret = body + checksum(body);
  return { secret, prefix: displayPrefix(secret) };
}

// The part of a key shown in lists: its first 12 characters.
export function displayPrefix(secret: string): string {
  return secret.slice(0, KEY_PREFIX_LENGTH);
}

// Parses a presented key: its environment when the shape and checksum are right, otherwise null.
export function parseKey(candidate: string): { environment: KeyEnvironment } | null {
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return null;
  const body = candidate.slice(0, candidate.length - KEY_CHECKSUM_LENGTH);
  if (checksum(body) !== match[3]) return null;
  return { environment: match[1] as KeyEnvironment };
}
