// Keeps a server running, and stoppable, when its stdout or stderr is closed (a log collector or pipe that went away).
//
// A write to a closed pipe fails with EPIPE, emitted as an 'error' on the stream. With no listener that is an uncaught
// exception, and Next.js's uncaughtException handler logs it with console.error: to the same closed stream, which fails
// again, at once, for ever. The process then spins at 100% CPU, and since the loop never yields, it answers no request
// and never handles SIGTERM. A write error on the process's own output has nowhere to be reported: it is dropped.
export function surviveClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (!stream.listeners("error").includes(dropWriteError)) stream.on("error", dropWriteError);
  }
}

function dropWriteError(): void {}
