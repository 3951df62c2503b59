// The client's IP address: the TCP peer, or X-Forwarded-For walked back through proxies TRUST_PROXY names.
import ipaddr from "ipaddr.js";
import { env } from "../env";
import { parseClientAddress } from "./allowlist";
import { processSingleton } from "../singleton";

export const PEER_HEADER = "x-keyhold-peer";
export const PEER_SIG_HEADER = "x-keyhold-peer-sig";

// Anything that reads request headers by lower-case name: a Headers object, or node:http's parsed headers.
export type HeaderSource = { get(name: string): string | null };

// Addresses already normalised: a server sees the same few peers (its proxies, its clients) again and again.
const normalised = new Map<string, string | null>();
const MAX_NORMALISED = 10_000;

// Canonical text of an address (IPv4-mapped IPv6 becomes IPv4, brackets and zone id dropped); null when it is not one.
export function normaliseIp(value: string | null | undefined): string | null {
  if (!value) return null;
  const known = normalised.get(value);
  if (known !== undefined) return known;
  const text = value.trim();
  const unbracketed = text.startsWith("[") && text.includes("]") ? text.slice(1, text.indexOf("]")) : text;
  const result = parseClientAddress(unbracketed)?.toString() ?? null;
  if (normalised.size >= MAX_NORMALISED) normalised.clear();
  normalised.set(value, result);
  return result;
}

export type TrustProxy =
  { kind: "none" } | { kind: "hops"; hops: number } | { kind: "ranges"; ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] };

// Parses TRUST_PROXY: empty/false (trust nobody), a hop count, or a comma-separated list of addresses and CIDR ranges.
export function parseTrustProxy(value: string | undefined): TrustProxy {
  if (!value || value === "false" || value === "0") return { kind: "none" };
  if (/^\d+$/.test(value)) return { kind: "hops", hops: Number(value) };
  const ranges = value.split(",").map((part) => {
    const entry = part.trim();
    if (ipaddr.isValidCIDR(entry)) return ipaddr.parseCIDR(entry);
    if (ipaddr.isValid(entry)) {
      const addr = ipaddr.parse(entry);
      return [addr, addr.kind() === "ipv4" ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
    }
    throw new Error(`"${entry}" is not an address or CIDR range`);
  });
  return { kind: "ranges", ranges };
}

function isTrusted(address: string, ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][]): boolean {
  const addr = ipaddr.parse(address);
  return ranges.some((range) => addr.kind() === range[0].kind() && addr.match(range));
}

// Resolves the client address from the peer address and the X-Forwarded-For chain under a trust policy.
export function resolveClientIp(peer: string | null, forwardedFor: string | null, trust: TrustProxy): string | null {
  const peerIp = normaliseIp(peer);
  if (!peerIp || trust.kind === "none" || !forwardedFor) return peerIp;
  // Nearest hop first: the peer, then X-Forwarded-For from right to left.
  const chain = [
    peerIp,
    ...forwardedFor
      .split(",")
      .map((s) => s.trim())
      .reverse(),
  ];
  if (trust.kind === "hops") {
    const candidate = chain[Math.min(trust.hops, chain.length - 1)];
    return normaliseIp(candidate) ?? peerIp;
  }
  let current = peerIp;
  for (let i = 1; i < chain.length; i++) {
    if (!isTrusted(current, trust.ranges)) return current;
    const next = normaliseIp(chain[i]);
    if (!next) return current;
    current = next;
  }
  return current;
}

const peer = processSingleton<{ token?: string }>("peer-token", () => ({}));

// Called by the Keyhold server at start: only requests it stamped with this token carry a trusted peer address.
export function setPeerToken(token: string): void {
  peer.token = token;
}

// The TCP peer address the Keyhold server stamped on the request, or null when it cannot be trusted.
function peerAddress(headers: HeaderSource): string | null {
  const token = peer.token;
  if (!token || headers.get(PEER_SIG_HEADER) !== token) return null;
  return headers.get(PEER_HEADER);
}

let trustCache: TrustProxy | undefined;

// The client IP of a request, under the configured TRUST_PROXY policy.
export function clientIp(headers: HeaderSource): string | null {
  trustCache ??= parseTrustProxy(env().TRUST_PROXY);
  return resolveClientIp(peerAddress(headers), headers.get("x-forwarded-for"), trustCache);
}
