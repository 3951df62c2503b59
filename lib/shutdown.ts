// Process-wide shutdown state, shared by the server and Next's bundled modules: hooks that flush buffers before exit,
// and whether the server is draining (so /api/health can tell a load balancer to stop sending).
import { processSingleton } from "./singleton";

type Hook = () => Promise<void>;

function hooks(): Map<string, Hook> {
  return processSingleton("shutdown-hooks", () => new Map<string, Hook>());
}

function state(): { draining: boolean } {
  return processSingleton("shutdown-state", () => ({ draining: false }));
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
  state().draining = true;
}

// Whether the server has begun its shutdown drain.
export function isDraining(): boolean {
  return state().draining;
}
