import { and, count, eq } from 'drizzle-orm';
import { audit } from '../audit';
import { forgetApiTokens } from '../auth/apiTokens';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { apiTokens, memberships, roles } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, roleActions } from '../policies';

export type RoleInput = { name: string; title: string; description?: string | null; capabilities: string[] };

/** Creates a custom role in the brand, beside the roles its pack defines. */
export async function createRole(tx: Queryable, ctx: RequestContext, brandId: string, input: RoleInput) {
  try {
    const [role] = await tx
      .insert(roles)
      .values({
        brandId: brandId,
        name: input.name,
        title: input.title.trim(),
        description: input.description ?? null,
        capabilities: [...new Set(input.capabilities)].sort(),
        source: 'custom',
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await audit(tx, ctx, {
      brandId: brandId,
      entityType: 'role',
      entityId: role!.id,
      action: 'create',
      after: role,
    });
    return role!;
  } catch (error) {
    if (isUniqueViolation(error))
      throw errors.conflict(`name: the brand already has a role named "${input.name}".`, { field: 'name' });
    throw error;
  }
}

async function loadRole(tx: Queryable, access: BrandAccess, roleId: string, action: 'update' | 'delete') {
  const [role] = await tx
    .select()
    .from(roles)
    .where(and(eq(roles.id, roleId), eq(roles.brandId, access.brand.id)))
    .for('update')
    .limit(1);
  if (!role) throw errors.notFound('role');
  if (!roleActions(access, role).includes(action)) {
    throw errors.forbidden(`The role "${role.name}" comes from the brand's SOP pack; change it in the pack.`);
  }
  return role;
}

export async function updateRole(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  roleId: string,
  input: Partial<Omit<RoleInput, 'name'>>,
) {
  const before = await loadRole(tx, access, roleId, 'update');
  const [after] = await tx
    .update(roles)
    .set({
      ...(input.title !== undefined ? { title: input.title.trim() } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.capabilities !== undefined ? { capabilities: [...new Set(input.capabilities)].sort() } : {}),
      updatedAt: ctx.now,
    })
    .where(eq(roles.id, roleId))
    .returning();
  forgetApiTokens();
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'role',
    entityId: roleId,
    action: 'update',
    before,
    after,
  });
  return after!;
}

/** Deletes a custom role that nobody holds. */
export async function deleteRole(tx: Queryable, ctx: RequestContext, access: BrandAccess, roleId: string) {
  const before = await loadRole(tx, access, roleId, 'delete');
  const [[members], [tokens]] = await Promise.all([
    tx.select({ n: count() }).from(memberships).where(eq(memberships.roleId, roleId)),
    tx.select({ n: count() }).from(apiTokens).where(eq(apiTokens.roleId, roleId)),
  ]);
  const holders = (members?.n ?? 0) + (tokens?.n ?? 0);
  if (holders > 0) {
    throw errors.conflict(
      `The role "${before.name}" is held by ${holders} member(s) or API token(s); give them another role first.`,
    );
  }
  await tx.delete(roles).where(eq(roles.id, roleId));
  forgetApiTokens();
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'role',
    entityId: roleId,
    action: 'delete',
    before,
  });
}
