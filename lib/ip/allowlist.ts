// Per-key IP allowlists: parse and normalise entries (IPv4/IPv6 addresses and CIDR ranges), then match client addresses.
import ipaddr from "ipaddr.js";

export const MAX_ALLOWLIST_ENTRIES = 100;

export interface AllowlistEntry {
  // Normalised address or range: "203.0.113.7", "10.0.0.0/24", "2001:db8::/32".
  value: string;
  note?: string;
}

export type ParsedEntry = { ok: true; value: string; normalisedFrom?: string } | { ok: false; error: string };

type Address = ipaddr.IPv4 | ipaddr.IPv6;

// Parses one address text strictly: IPv4 only as four decimal parts without leading zeros, IPv6 without a zone id.
function parseAddress(text: string): { addr?: Address; error?: string } {
  if (text.includes("%")) return { error: `${text} has a zone id, which an allowlist cannot match` };
  if (text.includes(":")) {
    if (!ipaddr.IPv6.isValid(text)) return { error: `${text} is not an IP address` };
    return { addr: ipaddr.IPv6.parse(text) };
  }
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) {
    return { error: `${text} is not an IP address` };
  }
  return { addr: ipaddr.IPv4.parse(text) };
}

// IPv4-mapped IPv6 (::ffff:a.b.c.d) is treated as the IPv4 address it carries.
function unmap(addr: Address, prefix: number): [Address, number] {
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
    return [(addr as ipaddr.IPv6).toIPv4Address(), prefix - 96];
  }
  return [addr, prefix];
}

// Masks host bits off an address: 10.0.0.1/24 → 10.0.0.0.
function networkAddress(addr: Address, prefix: number): Address {
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] &= keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
  }
  return ipaddr.fromByteArray(bytes) as Address;
}

// Parses one entry; names the problem ("/33 is too long for IPv4") or returns its normalised form.
export function parseAllowlistEntry(raw: string): ParsedEntry {
  const text = raw.trim();
  if (!text) return { ok: false, error: "Enter an IP address or CIDR range" };
  const slash = text.indexOf("/");
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const parsed = parseAddress(addressText);
  if (!parsed.addr) return { ok: false, error: parsed.error! };
  const bits = parsed.addr.kind() === "ipv4" ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, error: `/${prefixText} is not a prefix length` };
    prefix = Number(prefixText);
    if (prefix > bits) return { ok: false, error: `/${prefix} is too long for ${bits === 32 ? "IPv4" : "IPv6"}` };
  }
  const [addr, effectivePrefix] = unmap(parsed.addr, prefix);
  const effectiveBits = addr.kind() === "ipv4" ? 32 : 128;
  const network = networkAddress(addr, effectivePrefix);
  const value = effectivePrefix === effectiveBits ? network.toString() : `${network.toString()}/${effectivePrefix}`;
  const given = slash === -1 ? addressText : `${addressText}/${prefix}`;
  return value === given ? { ok: true, value } : { ok: true, value, normalisedFrom: text };
}

// Canonical text of a client address (mapped IPv6 → IPv4, zone id dropped); null when it is not an address.
export function parseClientAddress(raw: string | null | undefined): Address | null {
  if (!raw) return null;
  let text = raw.trim();
  const zone = text.indexOf("%");
  if (zone !== -1) text = text.slice(0, zone);
  if (!ipaddr.isValid(text)) return null;
  const addr = ipaddr.parse(text) as Address;
  return addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()
    ? (addr as ipaddr.IPv6).toIPv4Address()
    : addr;
}

export interface AllowlistMatcher {
  // True when the list is empty (any address) or the address falls in one of its ranges.
  allows(clientAddress: string | null | undefined): boolean;
}

const anyAddress: AllowlistMatcher = { allows: () => true };

// Compiles stored entries once (per cached key record) so each request only compares bytes.
export function compileAllowlist(entries: readonly AllowlistEntry[] | null | undefined): AllowlistMatcher {
  if (!entries || entries.length === 0) return anyAddress;
  const ranges: [Address, number][] = [];
  for (const entry of entries) {
    const slash = entry.value.indexOf("/");
    const addr = parseClientAddress(slash === -1 ? entry.value : entry.value.slice(0, slash));
    if (!addr) continue;
    ranges.push([addr, slash === -1 ? (addr.kind() === "ipv4" ? 32 : 128) : Number(entry.value.slice(slash + 1))]);
  }
  return {
    allows(clientAddress) {
      const addr = parseClientAddress(clientAddress);
      if (!addr) return false;
      return ranges.some(([range, prefix]) => range.kind() === addr.kind() && addr.match(range, prefix));
    },
  };
}
