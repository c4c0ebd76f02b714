import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { createBrand } from '../commands/createBrand';
import { updateBrand } from '../commands/updateBrand';
import type { Deps } from '../context';
import { errors } from '../errors';
import { heldCapabilities, listBrandAccess, requireBrand } from '../policies';
import { presentBrand } from '../presenters';
import { brandParams, brandSchema, errorResponses } from './schemas';

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { error: 'must be 2-63 lower-case letters, digits or dashes' });

export const brandRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/brands',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['brands'],
          summary: 'The brands the caller is a member of, with their role and capabilities there',
          response: { 200: z.object({ data: z.array(brandSchema) }), ...errorResponses },
        },
      },
      async (request) => ({
        data: (await listBrandAccess(db, contextOf(request).actor)).map((a) =>
          presentBrand(a.brand, a.role, heldCapabilities(a)),
        ),
      }),
    );

    app.post(
      '/brands',
      {
        config: { auth: 'org_admin' },
        schema: {
          tags: ['brands'],
          summary: 'Creates a brand on an SOP pack; the creator becomes its admin',
          body: z.strictObject({
            name: z.string().trim().min(1, { error: 'must not be empty' }).max(120),
            slug,
            packId: z.string(),
          }),
          response: { 201: z.object({ data: brandSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const pack = deps.packs.get(request.body.packId);
        if (!pack) {
          const known = deps.packs
            .list()
            .map((p) => p.manifest.id)
            .join(', ');
          throw errors.field(
            'packId',
            `"${request.body.packId}" is not an installed pack (installed: ${known})`,
          );
        }
        const { brand } = await db.transaction((tx) =>
          createBrand(tx, ctx, {
            name: request.body.name,
            slug: request.body.slug,
            pack,
            mailDomain: deps.config.mailDomain,
            admin: ctx.actor.kind === 'user' ? { id: ctx.actor.userId, email: ctx.actor.email } : undefined,
          }),
        );
        const access = await requireBrand(db, ctx.actor, brand.id);
        return reply
          .status(201)
          .send({ data: presentBrand(access.brand, access.role, heldCapabilities(access)) });
      },
    );

    app.get(
      '/brands/:brandId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['brands'],
          summary: 'One brand',
          params: brandParams,
          response: { 200: z.object({ data: brandSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        return { data: presentBrand(access.brand, access.role, heldCapabilities(access)) };
      },
    );

    app.patch(
      '/brands/:brandId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['brands'],
          summary: 'Changes the brand’s settings (capability brand.settings.manage)',
          params: brandParams,
          body: z.strictObject({
            name: z.string().trim().min(1, { error: 'must not be empty' }).max(120).optional(),
          }),
          response: { 200: z.object({ data: brandSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const brand = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'brand.settings.manage');
          return { access, row: await updateBrand(tx, ctx, access, request.body) };
        });
        return { data: presentBrand(brand.row, brand.access.role, heldCapabilities(brand.access)) };
      },
    );
  };
