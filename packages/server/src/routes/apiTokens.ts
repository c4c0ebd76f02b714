import { desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { createApiToken, revokeApiToken } from '../commands/apiTokens';
import type { Deps } from '../context';
import { apiTokens, roles } from '../db/schema';
import { apiTokenActions, requireBrand } from '../policies';
import { presentApiToken } from '../presenters';
import { apiTokenSchema, brandParams, errorResponses, uuidParam } from './schemas';

export const apiTokenRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/brands/:brandId/api-tokens',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['api tokens'],
          summary: 'The brand’s API tokens, without their secret values (capability api_tokens.manage)',
          params: brandParams,
          response: { 200: z.object({ data: z.array(apiTokenSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'api_tokens.manage',
        );
        const rows = await db
          .select({ token: apiTokens, roleName: roles.name })
          .from(apiTokens)
          .innerJoin(roles, eq(roles.id, apiTokens.roleId))
          .where(eq(apiTokens.brandId, access.brand.id))
          .orderBy(desc(apiTokens.createdAt));
        return {
          data: rows.map((r) => presentApiToken(r.token, r.roleName, apiTokenActions(access, r.token))),
        };
      },
    );

    app.post(
      '/brands/:brandId/api-tokens',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['api tokens'],
          summary:
            'Creates an API token bound to one of the brand’s roles; the token is shown only in this response',
          params: brandParams,
          body: z.strictObject({
            name: z.string().trim().min(1, { error: 'must not be empty' }).max(80),
            role: z.string().min(1, { error: 'is required' }),
            expiresAt: z.iso
              .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
              .nullable()
              .optional(),
          }),
          response: {
            201: z.object({
              data: apiTokenSchema,
              token: z.string().describe('The secret token; store it now'),
            }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const created = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'api_tokens.manage');
          return { access, ...(await createApiToken(tx, ctx, access, deps.config.secret, request.body)) };
        });
        return reply.status(201).send({
          data: presentApiToken(created.row, created.roleName, apiTokenActions(created.access, created.row)),
          token: created.token,
        });
      },
    );

    app.delete(
      '/brands/:brandId/api-tokens/:tokenId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['api tokens'],
          summary: 'Revokes an API token (capability api_tokens.manage)',
          params: brandParams.extend({ tokenId: uuidParam('tokenId') }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'api_tokens.manage');
          await revokeApiToken(tx, ctx, access, request.params.tokenId);
        });
        return reply.status(204).send(null);
      },
    );
  };
