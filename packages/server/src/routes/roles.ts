import { and, asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { createRole, deleteRole, updateRole } from '../commands/roles';
import type { Deps } from '../context';
import { roles } from '../db/schema';
import { errors } from '../errors';
import { requireBrand, roleActions } from '../policies';
import { presentRole } from '../presenters';
import { brandParams, capability, errorResponses, roleSchema, uuidParam } from './schemas';

const roleParams = brandParams.extend({ roleId: uuidParam('roleId') });
const title = z.string().trim().min(1, { error: 'must not be empty' }).max(80);
const description = z.string().max(500).nullable().optional();

export const roleRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/brands/:brandId/roles',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['roles'],
          summary: 'The brand’s roles: those of its SOP pack and its custom ones',
          params: brandParams,
          response: { 200: z.object({ data: z.array(roleSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const rows = await db
          .select()
          .from(roles)
          .where(eq(roles.brandId, access.brand.id))
          .orderBy(asc(roles.name));
        return { data: rows.map((r) => presentRole(r, roleActions(access, r))) };
      },
    );

    app.post(
      '/brands/:brandId/roles',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['roles'],
          summary: 'Creates a custom role (capability roles.manage)',
          params: brandParams,
          body: z.strictObject({
            name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, {
              error: 'must be lower-case letters, digits and _, starting with a letter (at most 40)',
            }),
            title,
            description,
            capabilities: z.array(capability).max(100),
          }),
          response: { 201: z.object({ data: roleSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { role, access } = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'roles.manage');
          return { access, role: await createRole(tx, ctx, access.brand.id, request.body) };
        });
        return reply.status(201).send({ data: presentRole(role, roleActions(access, role)) });
      },
    );

    app.patch(
      '/brands/:brandId/roles/:roleId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['roles'],
          summary: 'Changes a custom role (capability roles.manage); pack roles are read-only',
          params: roleParams,
          body: z.strictObject({
            title: title.optional(),
            description,
            capabilities: z.array(capability).max(100).optional(),
          }),
          response: { 200: z.object({ data: roleSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { role, access } = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'roles.manage');
          return { access, role: await updateRole(tx, ctx, access, request.params.roleId, request.body) };
        });
        return { data: presentRole(role, roleActions(access, role)) };
      },
    );

    app.delete(
      '/brands/:brandId/roles/:roleId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['roles'],
          summary: 'Deletes a custom role that nobody holds (capability roles.manage)',
          params: roleParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'roles.manage');
          await deleteRole(tx, ctx, access, request.params.roleId);
        });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/brands/:brandId/roles/:roleId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['roles'],
          summary: 'One role',
          params: roleParams,
          response: { 200: z.object({ data: roleSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const [role] = await db
          .select()
          .from(roles)
          .where(and(eq(roles.brandId, access.brand.id), eq(roles.id, request.params.roleId)));
        if (!role) throw errors.notFound('role');
        return { data: presentRole(role, roleActions(access, role)) };
      },
    );
  };
