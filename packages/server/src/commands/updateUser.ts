import { eq } from 'drizzle-orm';
import { audit } from '../audit';
import { hashPassword } from '../auth/passwords';
import { endOtherSessions } from '../auth/sessions';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { users } from '../db/schema';
import { errors } from '../errors';
import { presentUser } from '../presenters';

export type UpdateUserInput = { name?: string; isOrgAdmin?: boolean; disabled?: boolean; password?: string };

/**
 * An organization admin changes an account. Disabling it or setting a new password ends all of its
 * sessions. Admins cannot disable themselves or drop their own admin flag, so nobody locks the
 * organization out by accident.
 */
export async function updateUser(tx: Queryable, ctx: RequestContext, userId: string, input: UpdateUserInput) {
  const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (!before) throw errors.notFound('user');
  const self = ctx.actor.kind === 'user' && ctx.actor.userId === userId;
  if (self && (input.disabled === true || input.isOrgAdmin === false)) {
    throw errors.forbidden(
      'You cannot disable your own account or remove your own organization admin rights.',
    );
  }
  const changes: Partial<typeof users.$inferInsert> = { updatedAt: ctx.now };
  if (input.name !== undefined) changes.name = input.name.trim();
  if (input.isOrgAdmin !== undefined) changes.isOrgAdmin = input.isOrgAdmin;
  if (input.disabled !== undefined)
    changes.disabledAt = input.disabled ? (before.disabledAt ?? ctx.now) : null;
  if (input.password !== undefined) {
    changes.passwordHash = await hashPassword(input.password);
    changes.passwordChangedAt = ctx.now;
  }
  const [after] = await tx.update(users).set(changes).where(eq(users.id, userId)).returning();
  if (input.disabled || input.password !== undefined) await endOtherSessions(tx, userId, null, ctx.now);
  await audit(tx, ctx, {
    brandId: null,
    entityType: 'user',
    entityId: userId,
    action: input.password !== undefined ? 'update_with_password_reset' : 'update',
    before: presentUser(before),
    after: presentUser(after!),
  });
  return after!;
}
