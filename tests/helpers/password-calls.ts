// Counts the calls into lib/auth/password, for tests of when a password is (not) hashed or verified. Install with
// vi.mock("@/lib/auth/password", async (original) => (await import("../helpers/password-calls")).countedPassword(original)).
import type * as Password from "@/lib/auth/password";

export const passwordCalls = { hashes: 0, verifications: 0 };

// lib/auth/password as it is, counting each hashPassword and verifyPassword call in passwordCalls.
export async function countedPassword(importOriginal: <T>() => Promise<T>): Promise<typeof Password> {
  const real = await importOriginal<typeof Password>();
  return {
    ...real,
    hashPassword: (password) => {
      passwordCalls.hashes++;
      return real.hashPassword(password);
    },
    verifyPassword: (hash, candidate) => {
      passwordCalls.verifications++;
      return real.verifyPassword(hash, candidate);
    },
  };
}
