// Process-wide shutdown hooks (flush buffers before exit), shared by the server and Next's bundled modules.
import { processSingleton } from "./singleton";

type Hook = () => Promise<void>;

function hooks(): Map<string, Hook> {
  return processSingleton("shutdown-hooks", () => new Map<string, Hook>());
}

// Registers (or replaces) a named hook to run at shutdown.
export function onShutdown(name: string, hook: Hook): void {
  hooks().set(name, hook);
}

// Runs every hook once, in registration order.
export async function runShutdownHooks(): Promise<void> {
  for (const hook of hooks().values()) await hook();
}
