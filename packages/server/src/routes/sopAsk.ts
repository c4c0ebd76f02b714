import { askSop } from '@casebook/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Actor, Deps } from '../context';
import type { Queryable } from '../db/client';
import { errors } from '../errors';
import { authorize, type BrandAccess, listBrandAccess, requireBrand } from '../policies';
import { brandParams, errorResponses, uuidParam } from './schemas';

export const sopAnswerSchema = z.object({
  rule: z.string().describe('The rule id in the pack, e.g. cancel.hold'),
  title: z.string().describe('The playbook the rule belongs to'),
  answer: z.string().describe('What the rule says (its because)'),
  macros: z.array(z.string()),
  processes: z.array(z.string()),
  source: z.string().describe('The seed sentence the rule comes from, or the author’s reason'),
  score: z.number(),
});

const question = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(500, { error: 'must be at most 500 characters' });
const limit = z.coerce.number().int().min(1).max(20, { error: 'must be at most 20' }).default(5);

/**
 * The brand whose pack answers `GET /sop/ask`: the one named by `brand`; else the caller's brand on
 * the pack named by `pack` (one where they hold training.take, if any); else the caller's only
 * brand. A brand or pack the caller has no access to is not found, the same as a missing one.
 */
async function askAccess(
  db: Queryable,
  actor: Actor,
  query: { brand?: string | undefined; pack?: string | undefined },
): Promise<BrandAccess> {
  if (query.brand && query.pack) {
    throw errors.validation([{ field: 'pack', in: 'query', problem: 'give brand or pack, not both' }]);
  }
  if (query.brand) return requireBrand(db, actor, query.brand, 'training.take');
  const all = await listBrandAccess(db, actor);
  const candidates = query.pack ? all.filter((a) => a.brand.packId === query.pack) : all;
  if (candidates.length === 0) throw errors.notFound(query.pack ? 'pack' : 'brand');
  if (!query.pack && candidates.length > 1) {
    throw errors.validation([
      {
        field: 'brand',
        in: 'query',
        problem: `you belong to ${candidates.length} brands: give brand (its id) or pack (its pack id)`,
      },
    ]);
  }
  const access = candidates.find((a) => a.role.capabilities.has('training.take')) ?? candidates[0]!;
  authorize(access, 'training.take');
  return access;
}

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
          querystring: z.strictObject({ q: question, limit }),
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
        return { data: answers(access, request.query.q, request.query.limit) };
      },
    );

    app.get(
      '/sop/ask',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['training'],
          summary:
            'Ask the SOP (capability training.take) of the pack chosen by brand or pack, or of the caller’s only brand: its matching rules, best first, with their seed source',
          querystring: z.strictObject({
            q: question,
            brand: uuidParam('brand').optional().describe('The brand whose pack to ask'),
            pack: z
              .string()
              .trim()
              .min(1, { error: 'must not be empty' })
              .max(100, { error: 'must be at most 100 characters' })
              .optional()
              .describe('A pack id; asked through one of the caller’s brands on that pack'),
            limit,
          }),
          response: {
            200: z.object({
              data: z.array(sopAnswerSchema),
              brand: z.uuid().describe('The brand whose pack answered'),
              pack: z.object({ id: z.string(), version: z.string() }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await askAccess(db, contextOf(request).actor, request.query);
        return {
          data: answers(access, request.query.q, request.query.limit),
          brand: access.brand.id,
          pack: { id: access.brand.packId, version: access.brand.packVersion },
        };
      },
    );

    function answers(access: BrandAccess, q: string, max: number): z.infer<typeof sopAnswerSchema>[] {
      const pack = deps.packs.get(access.brand.packId)!;
      return askSop(pack, q, { limit: max }).map((a) => ({
        rule: a.rule,
        title: a.title,
        answer: a.answer,
        macros: a.macros,
        processes: a.processes,
        source: a.source,
        score: a.score,
      }));
    }
  };
