// Work done after the request that asked for it has been answered, one job at a time per queue, so the answer's timing
// says nothing about what the work found (an existing account, a real key). Queues are bounded, process-wide and
// drained at shutdown.
import { toApiError } from "./errors";
import { mailIdle } from "./mail";
import { onShutdown } from "./shutdown";
import { processSingleton } from "./singleton";

type State<J> = { jobs: J[]; running: Promise<void> | null };

export interface WorkQueue<J> {
  // Queues a job (dropped, and logged, when `max` jobs already wait); the work starts after the current request's code.
  push(job: J): void;
  // Resolves once every queued job has been handled and the mails it queued handed over.
  idle(): Promise<void>;
}

// A named queue whose jobs `handle` runs in order; an error in one job is logged and the next one runs.
export function workQueue<J>(name: string, handle: (job: J) => Promise<unknown>, max = 1000): WorkQueue<J> {
  const state = processSingleton<State<J>>(`work-queue:${name}`, () => ({ jobs: [], running: null }));

  async function drain(): Promise<void> {
    try {
      for (let job = state.jobs.shift(); job !== undefined; job = state.jobs.shift()) {
        try {
          await handle(job);
        } catch (err) {
          toApiError(err, name);
        }
      }
    } finally {
      state.running = null;
    }
  }

  async function idle(): Promise<void> {
    while (state.running) await state.running;
    await mailIdle();
  }

  return {
    push(job) {
      if (state.jobs.length >= max) {
        console.error(`${name}: job dropped, the queue is full`);
        return;
      }
      state.jobs.push(job);
      onShutdown(name, idle);
      // Started on the next turn of the event loop, so none of the work runs inside the request that queued it.
      state.running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
    },
    idle,
  };
}
