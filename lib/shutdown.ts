// Process-wide shutdown hooks (flush buffers before exit), shared by the server and Next's bundled modules via globalThis.
type Hook = () => Promise<void>;

const registry = globalThis as unknown as { keyholdShutdownHooks?: Map<string, Hook> };

function hooks(): Map<string, Hook> {
  registry.keyholdShutdownHooks ??= new Map();
  return registry.keyholdShutdownHooks;
}

// Registers (or replaces) a named hook to run at shutdown.
export function onShutdown(name: string, hook: Hook): void {
  hooks().set(name, hook);
}

// Runs every hook once, in registration order.
export async function runShutdownHooks(): Promise<void> {
  for (const hook of hooks().values()) await hook();
}
