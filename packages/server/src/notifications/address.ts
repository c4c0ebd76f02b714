import { promises as dns, lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is private, loopback, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:a.b.c.d or ::ffff:xxxx:xxxx) and IPv4-compatible forms reach IPv4 hosts by
  // another name: refused outright. (Not a BlockList rule: BlockList would match every IPv4 by it.)
  if (lower.startsWith('::ffff:') || /^::\d+\.\d+\.\d+\.\d+$/.test(lower)) return true;
  return blocked.check(lower, 'ipv6');
}

export class WebhookAddressError extends Error {}

/** Checks a webhook URL's form: http(s), a host, no credentials. Returns the parsed URL. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookAddressError('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WebhookAddressError('must start with https:// or http://');
  }
  if (url.username || url.password) throw new WebhookAddressError('must not contain a user name or password');
  if (!url.hostname) throw new WebhookAddressError('has no host');
  return url;
}

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Resolves the URL's host and refuses it when any of its addresses (IPv4 and IPv6) is private,
 * loopback or link-local, unless `allowPrivate`. Returns the addresses.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<string[]> {
  const url = parseWebhookUrl(raw);
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw new WebhookAddressError(`has a host (${host}) that does not resolve`);
    }
  }
  if (!allowPrivate) {
    const bad = addresses.find(isPrivateAddress);
    if (bad) {
      throw new WebhookAddressError(
        `points at ${bad}, a private, loopback or link-local address; an admin must allow such addresses for the brand first`,
      );
    }
  }
  return addresses;
}

/**
 * A `lookup` for http.request that resolves every address of the host and refuses the connection
 * when any is private (unless allowed), so the address connected to is one that was checked (no
 * DNS rebinding between the check and the connection).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      const bad = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (bad) {
        return callback(
          new WebhookAddressError(`${hostname} resolves to ${bad.address}, a private address`),
          '',
          0,
        );
      }
      if (options.all) return callback(null, list as never);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}
