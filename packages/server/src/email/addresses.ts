/**
 * Reply addresses. A brand receives at its support address (`support@store.example`); what we send
 * comes from a tagged form of it, so answers thread back without trusting headers:
 *
 * - `support+<ticketToken>@store.example` for a ticket (tokens are `[a-z0-9]` only);
 * - `support+side-<sideToken>@store.example` for a side conversation (the hyphen cannot occur in
 *   a ticket token, so the two never collide).
 */

export type AddressTag = { kind: 'ticket' | 'side'; token: string };

const SIDE_PREFIX = 'side-';

/** `support@x` + a tag → `support+<tag>@x`. */
export function taggedAddress(address: string, tag: AddressTag): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at).split('+')[0];
  const suffix = tag.kind === 'side' ? `${SIDE_PREFIX}${tag.token}` : tag.token;
  return `${local}+${suffix}${address.slice(at)}`.toLowerCase();
}

/** The address without its `+tag`, lower-cased: `Support+abc@X.example` → `support@x.example`. */
export function baseAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return address.trim().toLowerCase();
  return `${address.slice(0, at).split('+')[0]}${address.slice(at)}`.trim().toLowerCase();
}

/** The tag of a reply address, or null: `support+side-k3@x` → `{ kind: 'side', token: 'k3' }`. */
export function addressTag(address: string): AddressTag | null {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at < 0 ? undefined : at).toLowerCase();
  const plus = local.indexOf('+');
  if (plus < 0) return null;
  const tag = local.slice(plus + 1);
  if (tag.startsWith(SIDE_PREFIX)) {
    const token = tag.slice(SIDE_PREFIX.length);
    return /^[a-z0-9]+$/.test(token) ? { kind: 'side', token } : null;
  }
  return /^[a-z0-9]+$/.test(tag) ? { kind: 'ticket', token: tag } : null;
}

/**
 * Text that is safe inside one header line: control characters (CR and LF above all) become
 * spaces, runs of white space collapse, and the result is cut to `max` characters.
 */
export function oneLine(value: string | null | undefined, max = 998): string {
  return (value ?? '')
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

/** A Message-ID we may put in a header (`<local@domain>`), or null for anything else. */
export function cleanMessageId(value: string | null | undefined): string | null {
  const id = value?.trim();
  return id && /^<[^<>\s@]+@[^<>\s@]+>$/.test(id) ? id : null;
}
