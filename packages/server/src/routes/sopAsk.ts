import { askSop } from '@casebook/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import { requireBrand } from '../policies';
import { brandParams, errorResponses } from './schemas';

export const sopAnswerSchema = z.object({
  rule: z.string().describe('The rule id in the pack, e.g. cancel.hold'),
  title: z.string().describe('The playbook the rule belongs to'),
  answer: z.string().describe('What the rule says (its because)'),
  macros: z.array(z.string()),
  processes: z.array(z.string()),
  source: z.string().describe('The seed sentence the rule comes from, or the author’s reason'),
  score: z.number(),
});

/** Ask the SOP: a question in the agent's own words → the brand pack's matching rules, ranked. */
export const sopAskRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/brands/:brandId/sop/ask',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['training'],
          summary:
            'Ask the SOP (capability training.take): the rules, macros and processes of the brand’s pack that answer a question, best first, with their seed source',
          params: brandParams,
          querystring: z.strictObject({
            q: z
              .string()
              .trim()
              .min(1, { error: 'must not be empty' })
              .max(500, { error: 'must be at most 500 characters' }),
            limit: z.coerce.number().int().min(1).max(20, { error: 'must be at most 20' }).default(5),
          }),
          response: { 200: z.object({ data: z.array(sopAnswerSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'training.take',
        );
        const pack = deps.packs.get(access.brand.packId)!;
        return {
          data: askSop(pack, request.query.q, { limit: request.query.limit }).map((a) => ({
            rule: a.rule,
            title: a.title,
            answer: a.answer,
            macros: a.macros,
            processes: a.processes,
            source: a.source,
            score: a.score,
          })),
        };
      },
    );
  };
