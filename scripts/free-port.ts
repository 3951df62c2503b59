// A TCP port free on loopback right now, for servers the benchmark and the multi-instance test start.
import { createServer } from "node:net";

// Binds port 0, reads the port the kernel chose, and releases it.
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
