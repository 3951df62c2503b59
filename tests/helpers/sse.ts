// Reading a text/event-stream body in tests: frame by frame, each read with a deadline.

// One frame of an event stream: its fields, or a comment.
export type Frame = { id?: string; event?: string; data?: string; comment?: string };

// Reads frames from an event-stream body, each read with a deadline.
export function frames(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  const parse = (block: string): Frame => {
    const frame: Frame = {};
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) frame.comment = line.slice(1).trim();
      else {
        const [field, ...rest] = line.split(":");
        (frame as Record<string, string>)[field] = rest.join(":").replace(/^ /, "");
      }
    }
    return frame;
  };
  return {
    // The next frame, or null once the stream ended; rejects past `ms`.
    async next(ms = 5_000): Promise<Frame | null> {
      const deadline = Date.now() + ms;
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          return parse(block);
        }
        if (ended) return null;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no frame within the deadline");
        let timer: ReturnType<typeof setTimeout> | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("read deadline")), left))),
        ]).finally(() => clearTimeout(timer));
        if (chunk.done) ended = true;
        else buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    // The next frame that is an event (skipping comments), or null once the stream ended.
    async nextEvent(ms = 5_000): Promise<Frame | null> {
      const deadline = Date.now() + ms;
      for (;;) {
        const frame = await this.next(Math.max(1, deadline - Date.now()));
        if (frame === null || frame.id) return frame;
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
