// Password hashing with argon2id (memory-hard), via @node-rs/argon2.
import { hash, verify } from "@node-rs/argon2";

// OWASP-recommended argon2id parameters: 19 MiB memory, 2 passes, 1 lane.
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Hashes a password for storage (argon2id PHC string).
export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Checks a password against a stored hash; false for any malformed hash.
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
