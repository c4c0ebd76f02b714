import { calendarToBusinessHours, type Pack } from '@casebook/core';
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { brands, mailSettings, queues, roles, slaPolicies } from '../db/schema';

/**
 * Brings a brand's helpdesk set-up in line with its pack, idempotently: the pack's queues, a
 * default SLA policy on the pack's calendar, mail settings, and pack roles that follow the pack's
 * current capabilities. Runs when a brand is created and at every start, so a pack upgrade (a new
 * queue, a capability added to a role) reaches existing brands. Brand-made queues, policies and
 * custom roles are never touched.
 */
export async function provisionHelpdesk(
  tx: Queryable,
  brand: { id: string; slug: string; name: string },
  pack: Pack,
  mailDomain: string,
  now: Date,
): Promise<void> {
  const { manifest } = pack;
  const queueRows = Object.entries(manifest.queues).map(([name, q]) => ({
    brandId: brand.id,
    name,
    title: q.title,
    kind: q.kind,
    description: q.description ?? null,
    source: 'pack' as const,
    createdAt: now,
    updatedAt: now,
  }));
  if (queueRows.length) {
    await tx
      .insert(queues)
      .values(queueRows)
      .onConflictDoUpdate({
        target: [queues.brandId, queues.name],
        set: { title: sql`excluded.title`, kind: sql`excluded.kind`, description: sql`excluded.description` },
        setWhere: sql`${queues.source} = 'pack'`,
      });
  }
  const [policy] = await tx
    .select({ id: slaPolicies.id })
    .from(slaPolicies)
    .where(eq(slaPolicies.brandId, brand.id))
    .limit(1);
  if (!policy) {
    const hours = calendarToBusinessHours(manifest.calendar);
    await tx.insert(slaPolicies).values([
      {
        brandId: brand.id,
        name: 'Urgent',
        priorities: ['urgent', 'high'],
        position: 0,
        firstResponseMinutes: 60,
        nextResponseMinutes: 120,
        resolutionMinutes: 8 * 60,
        warnMinutes: 30,
        businessHours: hours,
        createdAt: now,
        updatedAt: now,
      },
      {
        brandId: brand.id,
        name: 'Standard',
        priorities: [],
        position: 1,
        firstResponseMinutes: 8 * 60,
        nextResponseMinutes: 8 * 60,
        resolutionMinutes: 5 * 8 * 60,
        warnMinutes: 60,
        businessHours: hours,
        createdAt: now,
        updatedAt: now,
      },
    ]);
  }
  await tx
    .insert(mailSettings)
    .values({
      brandId: brand.id,
      address: `support@${brand.slug}.${mailDomain}`,
      fromName: `${brand.name} Support`,
      updatedAt: now,
    })
    .onConflictDoNothing();
  for (const [name, role] of Object.entries(manifest.roles)) {
    await tx
      .insert(roles)
      .values({
        brandId: brand.id,
        name,
        title: role.title,
        description: role.description ?? null,
        capabilities: role.capabilities,
        external: role.external,
        source: 'pack',
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [roles.brandId, roles.name],
        set: {
          title: role.title,
          description: role.description ?? null,
          capabilities: role.capabilities,
          external: role.external,
        },
        setWhere: sql`${roles.source} = 'pack' and (${roles.capabilities} <> ${sql.param(role.capabilities)}::text[] or ${roles.title} <> ${role.title} or ${roles.external} <> ${role.external})`,
      });
  }
}

/** Provisions every brand whose pack is loaded; called at start-up. */
export async function provisionAllBrands(
  db: Queryable,
  packs: { get(id: string): Pack | undefined },
  mailDomain: string,
  now: Date,
): Promise<void> {
  for (const brand of await db.select().from(brands)) {
    const pack = packs.get(brand.packId);
    if (pack) await provisionHelpdesk(db, brand, pack, mailDomain, now);
  }
}
