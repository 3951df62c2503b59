// Permission names (resource:action) and grant matching: a held `inference:*` covers every `inference:…`, any other
// name only itself.

// The resource of a permission name (before the colon).
export function resourceOf(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(0, colon);
}

// A key's permissions as stored: each once, sorted (so key objects and verify answers list them in one order).
export function normalisePermissions(names: readonly string[]): string[] {
  return [...new Set(names)].sort();
}

// Whether the held permissions grant `required`: held exactly, or through the wildcard of its resource.
export function grants(held: readonly string[], required: string): boolean {
  return compilePermissions(held)([required]);
}

// A compiled set of held permissions for the hot path: one Set lookup per required name.
export type PermissionMatcher = (required: readonly string[]) => boolean;

// Compiles held permissions once (lib/keys/verify caches one per key record).
export function compilePermissions(held: readonly string[]): PermissionMatcher {
  if (held.length === 0) return (required) => required.length === 0;
  const set = new Set(held);
  return (required) => {
    for (const name of required) {
      if (set.has(name)) continue;
      const colon = name.indexOf(":");
      if (colon === -1 || !set.has(`${name.slice(0, colon)}:*`)) return false;
    }
    return true;
  };
}
