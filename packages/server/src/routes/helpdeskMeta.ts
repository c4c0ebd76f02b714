import { PLACEHOLDERS, ticketWorkflow } from '@casebook/core';
import { asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { poStatuses } from '../commands/importOrder';
import type { Deps } from '../context';
import { vendors } from '../db/schema';
import { requireBrand } from '../policies';
import { brandParams, errorResponses } from './schemas';

/**
 * The lists the helpdesk screens choose from, all from the brand's pack and data: ticket statuses
 * and their moves, intents, task categories, PO statuses, vendors with their contact address,
 * and the macro placeholders Casebook can fill.
 */
export const helpdeskMetaRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/brands/:brandId/helpdesk-meta',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary:
            'Ticket statuses, intents, task categories, PO statuses, vendors and macro placeholders of the brand',
          params: brandParams,
          response: {
            200: z.object({
              data: z.object({
                ticketStatuses: z.array(
                  z.object({
                    name: z.string(),
                    title: z.string(),
                    category: z.string(),
                    next: z.array(z.string()),
                  }),
                ),
                initialStatus: z.string(),
                intents: z.array(z.object({ name: z.string(), title: z.string() })),
                categories: z.array(z.object({ name: z.string(), description: z.string() })),
                poStatuses: z.array(z.string()),
                vendors: z.array(
                  z.object({ id: z.uuid(), name: z.string(), contactEmail: z.string().nullable() }),
                ),
                placeholders: z.array(z.object({ name: z.string(), description: z.string() })),
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'tickets.work',
        );
        const pack = deps.packs.get(access.brand.packId)!;
        const workflow = ticketWorkflow(pack);
        const { manifest } = pack;
        const vendorRows = await db
          .select({ id: vendors.id, name: vendors.name, contactEmail: vendors.contactEmail })
          .from(vendors)
          .where(eq(vendors.brandId, access.brand.id))
          .orderBy(asc(vendors.name));
        return {
          data: {
            ticketStatuses: workflow.statuses.map((s) => ({
              name: s.name,
              title: s.title,
              category: s.category,
              next: workflow.next(s.name),
            })),
            initialStatus: workflow.initial,
            intents: Object.entries(manifest.intents).map(([name, i]) => ({ name, title: i.title })),
            categories: Object.entries(manifest.categories).map(([name, c]) => ({
              name,
              description: c.description,
            })),
            poStatuses: [...poStatuses(pack)],
            vendors: vendorRows,
            placeholders: Object.entries(PLACEHOLDERS).map(([name, description]) => ({ name, description })),
          },
        };
      },
    );
  };
