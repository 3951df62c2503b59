// Scopes and their implication: admin ⊇ write ⊇ read.
import type { Scope } from "../generated/prisma/enums";

export const SCOPES = ["read", "write", "admin"] as const satisfies readonly Scope[];

const RANK: Record<Scope, number> = { read: 1, write: 2, admin: 3 };

// Whether a string names a scope.
export function isScope(value: unknown): value is Scope {
  return typeof value === "string" && Object.hasOwn(RANK, value);
}

// Whether a key holding `granted` may act with `required` (a higher scope implies the lower ones).
export function hasScope(granted: readonly Scope[], required: Scope): boolean {
  return granted.some((s) => RANK[s] >= RANK[required]);
}

// Distinct scopes in canonical order (read, write, admin).
export function normaliseScopes(scopes: readonly Scope[]): Scope[] {
  return SCOPES.filter((s) => scopes.includes(s));
}

// The highest scope a set holds, as a rank (0: none): what the set lets a key do.
export function scopeRank(scopes: readonly Scope[]): number {
  return Math.max(0, ...scopes.map((s) => RANK[s]));
}
