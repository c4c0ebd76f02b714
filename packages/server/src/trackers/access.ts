import { type Pack, type TrackerPermissions, type TrackerType, trackerPermissions } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { membershipCompanies, memberships, vendors } from '../db/schema';
import { errors } from '../errors';
import type { BrandAccess } from '../policies';

/**
 * Who may do what with a brand's tracker records. The pack's `log`/`read`/`resolve` lists decide
 * per type; a member with an external role (a supplier's staff) also sees only the records of the
 * company their membership is bound to.
 */
export type TrackerAccess = BrandAccess & {
  pack: Pack;
  /** The company (vendor id) an external member works for; null for the brand's own people. */
  company: string | null;
};

/** The brand access with the pack and, for external members, their company. */
export async function trackerAccess(db: Queryable, access: BrandAccess, pack: Pack): Promise<TrackerAccess> {
  return { ...access, pack, company: access.role.external ? await companyOf(db, access) : null };
}

/**
 * The vendor an external member works for. An external member bound to no company works for
 * nobody and sees nothing (their id is a value no vendor has).
 */
export async function companyOf(db: Queryable, access: BrandAccess): Promise<string> {
  if (access.actor.kind !== 'user') return NO_COMPANY;
  const [row] = await db
    .select({ vendorId: membershipCompanies.vendorId })
    .from(membershipCompanies)
    .innerJoin(memberships, eq(memberships.id, membershipCompanies.membershipId))
    .where(and(eq(memberships.userId, access.actor.userId), eq(memberships.brandId, access.brand.id)));
  return row?.vendorId ?? NO_COMPANY;
}

export const NO_COMPANY = '00000000-0000-0000-0000-000000000000';

export function permissionsFor(access: TrackerAccess, type: string): TrackerPermissions {
  const def = access.pack.manifest.trackers[type];
  if (!def) return { see: false, log: false, resolve: false };
  return trackerPermissions(type, def, { name: access.role.name, capabilities: access.role.capabilities });
}

/**
 * The type's definition when the caller may see it. A type of no pack and a type the caller may
 * not see are both "No such tracker", so a role cannot learn which restricted types exist.
 */
export function requireType(access: TrackerAccess, type: string): TrackerType {
  const def = access.pack.manifest.trackers[type];
  if (!def || !permissionsFor(access, type).see) throw errors.notFound('tracker');
  return def;
}

/** Refuses a caller who may see the type but not do `what` with it, naming the pack's roles. */
export function requirePermission(access: TrackerAccess, type: string, what: 'log' | 'resolve'): void {
  const def = requireType(access, type);
  if (permissionsFor(access, type)[what]) return;
  const roles = def[what].join(', ');
  const verb = what === 'log' ? 'log' : 'resolve (change the state of)';
  throw errors.forbidden(
    `Your role (${access.role.title}) may not ${verb} ${def.title} records; the pack gives this to: ${roles}.`,
  );
}

/** The types the caller may see, in pack order. */
export function visibleTypes(access: TrackerAccess): string[] {
  return Object.keys(access.pack.manifest.trackers).filter((t) => permissionsFor(access, t).see);
}

/** A vendor of the brand by name, for binding a member to their company. */
export async function vendorByName(db: Queryable, brandId: string, name: string) {
  const [row] = await db
    .select()
    .from(vendors)
    .where(and(eq(vendors.brandId, brandId), eq(vendors.name, name)));
  return row ?? null;
}
