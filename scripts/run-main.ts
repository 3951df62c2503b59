import path from "node:path";
// How a script runs its main(): exit with process.exitCode (0 if unset) when it resolves, 1 with the error when it
// rejects (scripts end explicitly: the migration engine and pools can leave timers behind).
export function runMain(main: () => Promise<unknown>, { stack = false } = {}): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      console.error(err instanceof Error ? (stack ? (err.stack ?? err.message) : err.message) : err);
      process.exit(1);
    },
  );
}

// Whether `file` (import.meta.filename) is the script node was started with, not a module a test imported.
export function isEntryPoint(file: string): boolean {
  return Boolean(process.argv[1]) && path.resolve(process.argv[1]) === file;
}
