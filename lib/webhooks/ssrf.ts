// Where a webhook may be sent: https to public addresses only, checked after DNS resolution, unless
// WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (then http and private addresses too). The address checked is the one connected
// to (lib/webhooks/send pins it), so a DNS answer that changes between check and connect cannot reach another host.
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

export type ResolvedAddress = { address: string; family: number };
// Resolves a host name to its addresses (injectable: tests answer what a hostile DNS server would).
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

// The system resolver (getaddrinfo), every address.
export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

// Cloud metadata services, named even though their ranges (link-local, unique-local) are refused anyway.
const METADATA = new Set(["169.254.169.254", "fd00:ec2::254"]);

// Why a URL or address is refused; the message is shown to administrators and logged with the attempt.
export class WebhookTargetError extends Error {}

// Whether an address is a public unicast one (not private, loopback, link-local, CGNAT, multicast, reserved, metadata…).
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() turns an IPv4-mapped IPv6 address (::ffff:10.0.0.1) into the IPv4 address it carries.
  const parsed = ipaddr.process(address);
  if (METADATA.has(parsed.toString())) return false;
  return parsed.range() === "unicast";
}

// The URL as a webhook target, before any DNS: http(s) only (http only when private networks are allowed), no
// credentials, and an IP literal must be public unless private networks are allowed.
export function parseWebhookUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError("must be an absolute URL (https://…)");
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:"))
    throw new WebhookTargetError(allowPrivate ? "must be an http or https URL" : "must be an https URL");
  if (url.username || url.password) throw new WebhookTargetError("must not carry a user name or password");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate) {
    if (ipaddr.isValid(host) && !isPublicAddress(host))
      throw new WebhookTargetError(`must not point at a private, loopback, link-local or metadata address (${host})`);
    const name = host.replace(/\.$/, "");
    if (name === "localhost" || name.endsWith(".localhost"))
      throw new WebhookTargetError("must not point at localhost");
  }
  return url;
}

// The address to connect to for `url`: the literal, or the first resolved address, all of which must be public (unless
// private networks are allowed). Throws WebhookTargetError when refused or unresolvable.
export async function resolveTarget(
  url: URL,
  opts: { allowPrivate: boolean; resolver?: Resolver },
): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(host)) {
    if (!opts.allowPrivate && !isPublicAddress(host))
      throw new WebhookTargetError(`Refused: ${host} is a private, loopback, link-local or metadata address`);
    return { address: host, family: ipaddr.parse(host).kind() === "ipv6" ? 6 : 4 };
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (opts.resolver ?? systemResolver)(host);
  } catch (err) {
    throw new WebhookTargetError(`DNS lookup of ${host} failed: ${(err as { code?: string }).code ?? "error"}`);
  }
  if (addresses.length === 0) throw new WebhookTargetError(`DNS lookup of ${host} found no address`);
  if (!opts.allowPrivate) {
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked)
      throw new WebhookTargetError(
        `Refused: ${host} resolves to ${blocked.address}, a private, loopback, link-local or metadata address`,
      );
  }
  return addresses[0];
}
