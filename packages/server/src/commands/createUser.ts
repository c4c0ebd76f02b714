import { audit } from '../audit';
import { hashPassword } from '../auth/passwords';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { users } from '../db/schema';
import { errors } from '../errors';
import { presentUser } from '../presenters';

export type CreateUserInput = { email: string; name: string; password: string; isOrgAdmin?: boolean };

/** Creates an account. Brand access is granted separately, by adding a membership. */
export async function createUser(
  tx: Queryable,
  ctx: RequestContext,
  input: CreateUserInput,
  passwordHash?: string,
) {
  const email = input.email.trim().toLowerCase();
  try {
    const [user] = await tx
      .insert(users)
      .values({
        email,
        name: input.name.trim(),
        passwordHash: passwordHash ?? (await hashPassword(input.password)),
        isOrgAdmin: input.isOrgAdmin ?? false,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        passwordChangedAt: ctx.now,
      })
      .returning();
    await audit(tx, ctx, {
      brandId: null,
      entityType: 'user',
      entityId: user!.id,
      action: 'create',
      after: presentUser(user!),
    });
    return user!;
  } catch (error) {
    if (isUniqueViolation(error))
      throw errors.conflict(`email: an account with ${email} already exists.`, { field: 'email' });
    throw error;
  }
}
