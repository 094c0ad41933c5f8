import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

// Where webhooks may send (server-side request forgery): a partner names an address and this
// service, from inside its network, posts to it. Unless WEBHOOKS_ALLOW_PRIVATE_TARGETS is set,
// an address whose host is or resolves to a non-public IP address is refused: at registration (to
// tell the partner at once) and again for every connection the worker opens (the name may resolve
// elsewhere by then: DNS rebinding). Redirects are never followed, so a public receiver cannot
// bounce a delivery inward either.

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are checked by BlockList against the IPv4 rules. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export interface TargetRules {
  allowHttp: boolean;
  allowPrivateTargets: boolean;
}

/** Why the address may not receive webhooks, in words for the `url` field; null when it may. */
export async function targetProblem(raw: string, rules: TargetRules): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be a full address such as https://example.org/webhooks';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && rules.allowHttp)) {
    return rules.allowHttp ? 'must start with https:// or http://' : 'must start with https:// (plain http:// would send events and signatures unencrypted)';
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.hash) return 'must not contain a #fragment';
  if (rules.allowPrivateTargets) return null;
  const addresses = await resolve(url.hostname);
  if (addresses === null) return `names a host that does not resolve (${url.hostname})`;
  if (addresses.some((entry) => !isPublicAddress(entry.address))) {
    return 'must reach a public internet address (loopback, private and link-local networks are refused)';
  }
  return null;
}

/** The host's addresses (an IP literal is its own); null when the name does not resolve. */
async function resolve(hostname: string): Promise<LookupAddress[] | null> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const family = isIP(host);
  if (family) return [{ address: host, family }];
  try {
    return await lookup(host, { all: true, verbatim: true });
  } catch {
    return null;
  }
}
