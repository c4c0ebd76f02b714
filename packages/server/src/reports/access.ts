import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { brands, memberships, roles } from '../db/schema';
import type { BrandAccess } from '../policies';
import type { ReportBrand, ReportEnv } from './queries';

/** A brand as the reports see it: its name, its pack and the time zone its days are counted in. */
export function reportBrand(deps: Deps, brand: BrandAccess['brand']): ReportBrand {
  const pack = deps.packs.get(brand.packId);
  if (!pack) throw new Error(`brand ${brand.id} uses pack ${brand.packId}, which is not loaded`);
  return { id: brand.id, name: brand.name, timezone: pack.manifest.calendar.timezone, pack: pack.manifest };
}

/**
 * The brands a caller may compare in a by-brand report: this one, then every other brand where a
 * signed-in person holds reports.read through their membership (an API token sees its own brand).
 */
export async function comparableBrands(
  db: Queryable,
  deps: Deps,
  access: BrandAccess,
): Promise<ReportBrand[]> {
  const own = reportBrand(deps, access.brand);
  if (access.actor.kind !== 'user') return [own];
  const rows = await db
    .select({ brand: brands })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .innerJoin(brands, eq(brands.id, memberships.brandId))
    .where(
      and(
        eq(memberships.userId, access.actor.userId),
        sql`'reports.read' = any(${roles.capabilities})`,
        ne(brands.id, access.brand.id),
      ),
    )
    .orderBy(asc(brands.name));
  const others = rows.map((r) => r.brand).filter((b) => deps.packs.get(b.packId));
  return [own, ...others.map((b) => reportBrand(deps, b))];
}

export async function reportEnv(
  db: Queryable,
  deps: Deps,
  access: BrandAccess,
  now: Date,
): Promise<ReportEnv> {
  return { brand: reportBrand(deps, access.brand), compare: await comparableBrands(db, deps, access), now };
}

/** Today's date in a time zone, `YYYY-MM-DD`. */
export function localDay(now: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
