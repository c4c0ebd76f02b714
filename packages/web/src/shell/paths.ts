import type { AreaId } from './areas';

/** URL building for brand-scoped pages, so the `/b/:brandId/...` layout lives in one place. */

export function brandPath(brandId: string, area: AreaId = 'inbox', ...rest: string[]): string {
  return ['', 'b', encodeURIComponent(brandId), area, ...rest].join('/');
}

/** The same page in another brand: `/b/<old>/admin/roles` → `/b/<new>/admin/roles`. */
export function switchBrandPath(pathname: string, brandId: string): string {
  const match = /^\/b\/[^/]+(\/.*)?$/.exec(pathname);
  return `/b/${encodeURIComponent(brandId)}${match?.[1] ?? '/inbox'}`;
}

/** One ticket: `/b/<brand>/tickets/<id>`. The Inbox stays the current area while it is open. */
export function ticketPath(brandId: string, ticketId: string): string {
  return ['', 'b', encodeURIComponent(brandId), 'tickets', encodeURIComponent(ticketId)].join('/');
}

/** One customer: `/b/<brand>/customers/<id>`, part of the Inbox area. */
export function customerPath(brandId: string, customerId: string): string {
  return ['', 'b', encodeURIComponent(brandId), 'customers', encodeURIComponent(customerId)].join('/');
}
