import type { Pack } from '@casebook/core';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { brands, roles } from '../db/schema';
import { errors } from '../errors';
import { grantMembership } from './members';
import { provisionHelpdesk } from './provisionHelpdesk';

export type CreateBrandInput = {
  name: string;
  slug: string;
  pack: Pack;
  admin?: { id: string; email: string };
  /** The domain of the brand's default support address (`support@<slug>.<domain>`). */
  mailDomain?: string;
};

/**
 * Creates a brand on an SOP pack: the brand, the pack's roles, its helpdesk set-up (queues, SLA
 * policies, mail settings) and (when given) an admin membership for the person who created it, in
 * one transaction.
 */
export async function createBrand(tx: Queryable, ctx: RequestContext, input: CreateBrandInput) {
  const { manifest } = input.pack;
  let brand: typeof brands.$inferSelect;
  try {
    [brand] = (await tx
      .insert(brands)
      .values({
        name: input.name.trim(),
        slug: input.slug,
        packId: manifest.id,
        packVersion: manifest.version,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()) as [typeof brands.$inferSelect];
  } catch (error) {
    if (isUniqueViolation(error))
      throw errors.conflict(`slug: a brand with the slug "${input.slug}" already exists.`, { field: 'slug' });
    throw error;
  }
  await audit(tx, ctx, {
    brandId: brand.id,
    entityType: 'brand',
    entityId: brand.id,
    action: 'create',
    after: brand,
  });

  const roleRows = await tx
    .insert(roles)
    .values(
      Object.entries(manifest.roles).map(([name, role]) => ({
        brandId: brand.id,
        name,
        title: role.title,
        description: role.description ?? null,
        capabilities: role.capabilities,
        external: role.external,
        source: 'pack' as const,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })),
    )
    .returning();
  for (const role of roleRows) {
    await audit(tx, ctx, {
      brandId: brand.id,
      entityType: 'role',
      entityId: role.id,
      action: 'create',
      after: role,
    });
  }

  await provisionHelpdesk(tx, brand, input.pack, input.mailDomain ?? 'casebook.localhost', ctx.now);

  if (input.admin) {
    await grantMembership(tx, ctx, brand.id, input.admin, roleRows.find((r) => r.name === 'admin')!);
  }
  return { brand, roles: roleRows };
}
