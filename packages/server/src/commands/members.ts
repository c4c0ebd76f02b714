import { and, eq } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { memberships, roles, users } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, membershipActions } from '../policies';

/** The brand's role with this name, or a validation error naming the field. */
export async function roleByName(tx: Queryable, brandId: string, name: string, field = 'role') {
  const [role] = await tx
    .select()
    .from(roles)
    .where(and(eq(roles.brandId, brandId), eq(roles.name, name)))
    .limit(1);
  if (!role) throw errors.field(field, `"${name}" is not a role of this brand`);
  return role;
}

/** Gives an existing account a role in the brand. */
export async function addMember(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  input: { email: string; role: string },
) {
  const email = input.email.trim().toLowerCase();
  const [user] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
  if (!user)
    throw errors.field('email', `no account uses ${email}; an organization admin creates accounts first`);
  const role = await roleByName(tx, access.brand.id, input.role);
  try {
    return await grantMembership(tx, ctx, access.brand.id, user, role);
  } catch (error) {
    if (isUniqueViolation(error))
      throw errors.conflict(`email: ${email} is already a member of ${access.brand.name}.`, {
        field: 'email',
      });
    throw error;
  }
}

/** Inserts a membership and its audit entry; every way of joining a brand goes through here. */
export async function grantMembership(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  user: { id: string; email: string },
  role: { id: string; name: string },
) {
  const [membership] = await tx
    .insert(memberships)
    .values({ brandId, userId: user.id, roleId: role.id, createdAt: ctx.now, updatedAt: ctx.now })
    .returning();
  await audit(tx, ctx, {
    brandId,
    entityType: 'membership',
    entityId: membership!.id,
    action: 'create',
    after: { userId: user.id, email: user.email, role: role.name },
  });
  return membership!;
}

async function loadMembership(tx: Queryable, access: BrandAccess, membershipId: string) {
  const [row] = await tx
    .select({ membership: memberships, roleName: roles.name })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.brandId, access.brand.id)))
    .for('update', { of: memberships })
    .limit(1);
  if (!row) throw errors.notFound('membership');
  return row;
}

export async function updateMember(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  membershipId: string,
  input: { role: string },
) {
  const { membership, roleName } = await loadMembership(tx, access, membershipId);
  if (!membershipActions(access, membership).includes('update')) {
    throw errors.forbidden('You cannot change your own role; ask another admin.');
  }
  const role = await roleByName(tx, access.brand.id, input.role);
  const [after] = await tx
    .update(memberships)
    .set({ roleId: role.id, updatedAt: ctx.now })
    .where(eq(memberships.id, membershipId))
    .returning();
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'membership',
    entityId: membershipId,
    action: 'update',
    before: { userId: membership.userId, role: roleName },
    after: { userId: membership.userId, role: role.name },
  });
  return after!;
}

export async function removeMember(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  membershipId: string,
) {
  const { membership, roleName } = await loadMembership(tx, access, membershipId);
  if (!membershipActions(access, membership).includes('remove')) {
    throw errors.forbidden('You cannot remove yourself from a brand; ask another admin.');
  }
  await tx.delete(memberships).where(eq(memberships.id, membershipId));
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'membership',
    entityId: membershipId,
    action: 'delete',
    before: { userId: membership.userId, role: roleName },
  });
}
