// This process's peer token, and the stamp that tells lib/ip/client-ip.ts a request's socket address: a header a client
// sends itself under that name is overwritten, and without the token it is not believed.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { PEER_HEADER, PEER_SIG_HEADER, setPeerToken } from "../ip/client-ip";

// Makes a new peer token and returns what stamps each node:http request with its socket's address and the token.
export function peerStamp(): (req: IncomingMessage) => void {
  const token = randomBytes(16).toString("hex");
  setPeerToken(token);
  return (req) => {
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    req.headers[PEER_SIG_HEADER] = token;
  };
}
