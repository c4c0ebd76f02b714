import { eq } from 'drizzle-orm';
import { audit } from '../audit';
import { forgetApiTokens } from '../auth/apiTokens';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { brands } from '../db/schema';
import type { BrandAccess } from '../policies';

export async function updateBrand(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  input: { name?: string },
) {
  const [after] = await tx
    .update(brands)
    .set({ ...(input.name !== undefined ? { name: input.name.trim() } : {}), updatedAt: ctx.now })
    .where(eq(brands.id, access.brand.id))
    .returning();
  forgetApiTokens();
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'brand',
    entityId: access.brand.id,
    action: 'update',
    before: { name: access.brand.name },
    after: { name: after!.name },
  });
  return after!;
}
