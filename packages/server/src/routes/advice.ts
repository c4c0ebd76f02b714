import { type AdviceResult, advise, scenarioSchema } from '@casebook/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import { errors } from '../errors';
import { listBrandAccess } from '../policies';
import { errorResponses } from './schemas';

const actionSchema = z.object({ type: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean()]));

export const adviceResultSchema = z.object({
  scenario: z.string().optional(),
  pack: z.string(),
  packVersion: z.string(),
  intent: z.object({ name: z.string(), confidence: z.number(), source: z.enum(['given', 'inferred']) }),
  playbook: z.object({ id: z.string(), title: z.string() }).nullable(),
  actions: z.array(actionSchema),
  blocked: z.array(z.object({ action: actionSchema, reason: z.string() })),
  explanation: z.array(z.object({ action: z.number(), rule: z.string(), because: z.string() })),
});

export const adviceRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/advice',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['advice'],
          summary:
            'What the SOP requires next for a scenario, and why (the advice contract). The caller must belong to a brand on the scenario’s pack; without an actor in the scenario, the caller’s role there is used.',
          body: scenarioSchema,
          response: { 200: adviceResultSchema, ...errorResponses },
        },
      },
      async (request): Promise<AdviceResult> => {
        const { actor } = contextOf(request);
        const scenario = request.body;
        const access = (await listBrandAccess(deps.database.db, actor)).find(
          (a) => a.brand.packId === scenario.pack,
        );
        const pack = deps.packs.get(scenario.pack);
        if (!access || !pack) throw errors.notFound('brand using this pack');
        const { expect: _ignored, ...rest } = scenario;
        return advise(pack, { ...rest, actor: scenario.actor ?? { role: access.role.name } });
      },
    );
  };
