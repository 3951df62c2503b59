// Process-wide shutdown state, shared by the server and Next's bundled modules: hooks that flush buffers before exit,
// and whether the server is draining (so /api/health can tell a load balancer to stop sending).
import { processSingleton } from "./singleton";

type Hook = () => Promise<void>;

function hooks(): Map<string, Hook> {
  return processSingleton("shutdown-hooks", () => new Map<string, Hook>());
}

function state(): { draining: boolean; listeners: Set<() => void> } {
  return processSingleton("shutdown-state", () => ({ draining: false, listeners: new Set<() => void>() }));
}

// Registers (or replaces) a named hook to run at shutdown.
export function onShutdown(name: string, hook: Hook): void {
  hooks().set(name, hook);
}

// Runs every hook once, in registration order.
export async function runShutdownHooks(): Promise<void> {
  for (const hook of hooks().values()) await hook();
}

// Marks the process as draining (set by the server's drain on SIGTERM/SIGINT; never cleared: the process exits).
export function markDraining(): void {
  const s = state();
  if (s.draining) return;
  s.draining = true;
  for (const listener of s.listeners) listener();
}

// Calls `listener` once the drain begins (at once if it has): long-lived answers (event streams) end then, so the drain
// need not wait for its deadline. Returns the unsubscribe function.
export function onDraining(listener: () => void): () => void {
  const s = state();
  if (s.draining) {
    listener();
    return () => {};
  }
  s.listeners.add(listener);
  return () => s.listeners.delete(listener);
}

// Whether the server has begun its shutdown drain.
export function isDraining(): boolean {
  return state().draining;
}
