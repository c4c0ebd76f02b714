import { CAPABILITY_NAMES, type Capability } from '@casebook/core';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../context';
import type { Queryable } from '../db/client';
import { prepared } from '../db/prepared';
import { brands, memberships, roles } from '../db/schema';
import { errors } from '../errors';
import { requireCertifiedToWork } from '../training/certification';

export type BrandRow = typeof brands.$inferSelect;

/** What an actor may do in one brand: the brand, and the role they hold there. */
export type BrandAccess = {
  actor: Actor;
  brand: BrandRow;
  role: { id: string; name: string; title: string; external: boolean; capabilities: ReadonlySet<string> };
};

/**
 * The actor's access to a brand, or null when they have none. A user has access through a
 * membership; an API token only to its own brand, with its own role.
 */
export async function findBrandAccess(
  db: Queryable,
  actor: Actor,
  brandId: string,
): Promise<BrandAccess | null> {
  if (!isUuid(brandId)) return null;
  if (actor.kind === 'system') return null;
  const [row] =
    actor.kind === 'user'
      ? await prepared(db, 'brand_access_of_user', () =>
          db
            .select({ brand: brands, role: roles })
            .from(memberships)
            .innerJoin(brands, eq(brands.id, memberships.brandId))
            .innerJoin(roles, eq(roles.id, memberships.roleId))
            .where(
              and(
                eq(memberships.userId, sql.placeholder('userId')),
                eq(memberships.brandId, sql.placeholder('brandId')),
              ),
            )
            .limit(1),
        ).execute({ userId: actor.userId, brandId })
      : brandId !== actor.brandId
        ? []
        : actor.grant
          ? [actor.grant]
          : await prepared(db, 'brand_access_of_token', () =>
              db
                .select({ brand: brands, role: roles })
                .from(brands)
                .innerJoin(roles, eq(roles.id, sql.placeholder('roleId')))
                .where(eq(brands.id, sql.placeholder('brandId')))
                .limit(1),
            ).execute({ roleId: actor.roleId, brandId });
  return row ? toAccess(actor, row) : null;
}

function toAccess(actor: Actor, row: { brand: BrandRow; role: typeof roles.$inferSelect }): BrandAccess {
  return {
    actor,
    brand: row.brand,
    role: {
      id: row.role.id,
      name: row.role.name,
      title: row.role.title,
      external: row.role.external,
      capabilities: new Set(row.role.capabilities),
    },
  };
}

export function can(access: BrandAccess, capability: Capability): boolean {
  return access.role.capabilities.has(capability);
}

/** The capabilities of the catalogue that the actor holds in this brand, for the UI to show. */
export function heldCapabilities(access: BrandAccess): Capability[] {
  return CAPABILITY_NAMES.filter((c) => access.role.capabilities.has(c));
}

/**
 * Loads the actor's access to a brand and checks a capability. A brand the actor cannot see is
 * "not found"; a brand they see but may not act on in this way is "forbidden", with the reason.
 */
export async function requireBrand(
  db: Queryable,
  actor: Actor,
  brandId: string,
  capability?: Capability,
): Promise<BrandAccess> {
  const access = await findBrandAccess(db, actor, brandId);
  if (!access) throw errors.notFound('brand');
  if (capability) await authorizeWork(db, access, capability);
  return access;
}

/**
 * Access to the brand an entity belongs to, for routes that address the entity by its own id: an
 * entity that does not exist and one in a brand the actor cannot see are both "No such <entity>".
 */
export async function requireBrandOf(
  db: Queryable,
  actor: Actor,
  brandId: string | undefined,
  entity: string,
  capability?: Capability,
): Promise<BrandAccess> {
  const access = brandId ? await findBrandAccess(db, actor, brandId) : null;
  if (!access) throw errors.notFound(entity);
  if (capability) await authorizeWork(db, access, capability);
  return access;
}

/**
 * The capability check of requireBrand/requireBrandOf. Working tickets also passes the brand's
 * certification gate (a brand may require its agents to pass its training quiz first).
 */
async function authorizeWork(db: Queryable, access: BrandAccess, capability: Capability): Promise<void> {
  authorize(access, capability);
  if (capability === 'tickets.work') await requireCertifiedToWork(db, access);
}

export function authorize(access: BrandAccess, capability: Capability): void {
  if (!can(access, capability)) {
    throw errors.forbidden(
      `Your role (${access.role.title}) in ${access.brand.name} does not include the capability "${capability}".`,
    );
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Every brand the actor can see, with their role there; scoped in SQL by membership. */
export async function listBrandAccess(db: Queryable, actor: Actor): Promise<BrandAccess[]> {
  if (actor.kind === 'system') return [];
  const rows =
    actor.kind === 'user'
      ? await db
          .select({ brand: brands, role: roles })
          .from(memberships)
          .innerJoin(brands, eq(brands.id, memberships.brandId))
          .innerJoin(roles, eq(roles.id, memberships.roleId))
          .where(eq(memberships.userId, actor.userId))
          .orderBy(brands.name)
      : await db
          .select({ brand: brands, role: roles })
          .from(brands)
          .innerJoin(roles, eq(roles.id, actor.roleId))
          .where(eq(brands.id, actor.brandId));
  return rows.map((row) => toAccess(actor, row));
}
