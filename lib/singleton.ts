// Process-wide values on globalThis: Next bundles route handlers and server actions separately, so module state would be duplicated.
const SLOTS = Symbol.for("keyhold.singletons");

type Holder = { [SLOTS]?: Map<string, unknown> };

// The process's one value named `name`, made by `create` on first use; state that tests replace lives in a field of it.
export function processSingleton<T>(name: string, create: () => T): T {
  const slots = ((globalThis as unknown as Holder)[SLOTS] ??= new Map());
  if (!slots.has(name)) slots.set(name, create());
  return slots.get(name) as T;
}
