import { CAPABILITY_DESCRIPTIONS, SOP_CAPABILITY_NAMES } from '@casebook/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../context';
import { errorResponses } from './schemas';

export const metaRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/capabilities',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['meta'],
          summary: 'The catalogue of capabilities that roles are made of',
          response: {
            200: z.object({
              data: z.array(
                z.object({ name: z.string(), description: z.string(), enforcedBy: z.enum(['api', 'sop']) }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async () => ({
        data: Object.entries(CAPABILITY_DESCRIPTIONS).map(([name, description]) => ({
          name,
          description,
          enforcedBy: (SOP_CAPABILITY_NAMES as string[]).includes(name) ? ('sop' as const) : ('api' as const),
        })),
      }),
    );

    app.get(
      '/packs',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['meta'],
          summary: 'The SOP packs installed on this server',
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  id: z.string(),
                  name: z.string(),
                  version: z.string(),
                  description: z.string(),
                  source: z.string(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async () => ({
        data: deps.packs.list().map(({ manifest: m }) => ({
          id: m.id,
          name: m.name,
          version: m.version,
          description: m.description,
          source: m.source,
        })),
      }),
    );
  };
