import { and, asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { addMember, removeMember, updateMember } from '../commands/members';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { memberships, roles, users } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, membershipActions, requireBrand } from '../policies';
import { brandParams, email, errorResponses, memberSchema, uuidParam } from './schemas';

const memberParams = brandParams.extend({ membershipId: uuidParam('membershipId') });
const roleName = z.string().min(1, { error: 'is required' }).max(64);

async function listMembers(db: Queryable, access: BrandAccess, membershipId?: string) {
  const rows = await db
    .select({ membership: memberships, user: users, role: roles })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(
      and(
        eq(memberships.brandId, access.brand.id),
        membershipId ? eq(memberships.id, membershipId) : undefined,
      ),
    )
    .orderBy(asc(users.name));
  return rows.map(({ membership, user, role }) => ({
    id: membership.id,
    user: { id: user.id, email: user.email, name: user.name, disabled: user.disabledAt !== null },
    role: { name: role.name, title: role.title },
    createdAt: membership.createdAt.toISOString(),
    allowed: membershipActions(access, membership),
  }));
}

async function oneMember(db: Queryable, access: BrandAccess, membershipId: string) {
  const [member] = await listMembers(db, access, membershipId);
  if (!member) throw errors.notFound('membership');
  return member;
}

export const memberRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/brands/:brandId/members',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['members'],
          summary: 'The people in the brand and their roles',
          params: brandParams,
          response: { 200: z.object({ data: z.array(memberSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        return { data: await listMembers(db, access) };
      },
    );

    app.post(
      '/brands/:brandId/members',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['members'],
          summary: 'Gives an existing account a role in the brand (capability members.manage)',
          params: brandParams,
          body: z.strictObject({ email, role: roleName }),
          response: { 201: z.object({ data: memberSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const member = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'members.manage');
          const membership = await addMember(tx, ctx, access, request.body);
          return oneMember(tx, access, membership.id);
        });
        return reply.status(201).send({ data: member });
      },
    );

    app.patch(
      '/brands/:brandId/members/:membershipId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['members'],
          summary: 'Changes a member’s role (capability members.manage)',
          params: memberParams,
          body: z.strictObject({ role: roleName }),
          response: { 200: z.object({ data: memberSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const member = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'members.manage');
          await updateMember(tx, ctx, access, request.params.membershipId, request.body);
          return oneMember(tx, access, request.params.membershipId);
        });
        return { data: member };
      },
    );

    app.delete(
      '/brands/:brandId/members/:membershipId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['members'],
          summary: 'Removes a person from the brand (capability members.manage)',
          params: memberParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'members.manage');
          await removeMember(tx, ctx, access, request.params.membershipId);
        });
        return reply.status(204).send(null);
      },
    );
  };
