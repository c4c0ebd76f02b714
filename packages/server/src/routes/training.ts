import type { Pack } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { certifications, quizAnswers, quizAttempts, users } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, can, requireBrand, requireBrandOf } from '../policies';
import {
  answerQuestion,
  finishAttempt,
  listAttempts,
  overrideAnswer,
  presentAttempt,
  startAttempt,
  updateTrainingSettings,
} from '../training/attempts';
import { trainingSettingsOf } from '../training/certification';
import { brandParams, errorResponses, uuidParam } from './schemas';

const answeredSchema = z.object({
  id: z.uuid(),
  team: z.number(),
  given: z.string(),
  correct: z.boolean(),
  reason: z.string().describe('Why the answer was judged so: what matched, or what was missing'),
  judgedBy: z.enum(['auto', 'lead']),
  expected: z.string().describe('The pack’s answer, shown once the cell is answered'),
});

const attemptSchema = z.object({
  id: z.uuid(),
  brandId: z.uuid(),
  user: z.object({ id: z.uuid(), name: z.string().nullable() }),
  packId: z.string(),
  packVersion: z.string(),
  source: z.enum(['pack', 'generated']),
  seed: z.number().nullable(),
  mode: z.enum(['single', 'team']),
  status: z.enum(['in_progress', 'finished']),
  score: z.number(),
  maxScore: z.number(),
  passed: z.boolean().nullable().describe('Single player: whether the attempt reached the pass mark'),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  teams: z.array(z.object({ name: z.string(), score: z.number() })),
  turn: z.number().nullable().describe('The index of the team whose turn it is'),
  categories: z.array(z.string()),
  points: z.array(z.number()),
  questions: z.array(
    z.object({
      id: z.string(),
      category: z.string(),
      points: z.number(),
      question: z.string(),
      kind: z.enum(['free_text', 'choice']),
      choices: z.array(z.string()).optional(),
      rule: z.string().optional(),
      answered: answeredSchema.nullable(),
    }),
  ),
  allowed: z.array(z.string()),
});

const settingsSchema = z.object({
  requireCertification: z.boolean(),
  passPercent: z.number(),
  allowed: z.array(z.string()),
});

const attemptSummarySchema = z.object({
  id: z.uuid(),
  user: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
  source: z.enum(['pack', 'generated']),
  seed: z.number().nullable(),
  mode: z.enum(['single', 'team']),
  teams: z.array(z.string()),
  status: z.enum(['in_progress', 'finished']),
  score: z.number(),
  maxScore: z.number(),
  passed: z.boolean().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const certificationSchema = z.object({
  packId: z.string(),
  packVersion: z.string(),
  percent: z.number(),
  certifiedAt: z.string(),
  attemptId: z.uuid(),
});

const attemptParams = z.strictObject({ attemptId: uuidParam('attemptId') });

export const trainingRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const packOf = (access: BrandAccess): Pack => deps.packs.get(access.brand.packId)!;

    /** The attempt and the caller's access: their own attempt, or any in the brand with training.manage. */
    const attemptAccess = async (
      q: Queryable,
      request: { params: { attemptId: string } },
      actor: Parameters<typeof requireBrandOf>[1],
    ) => {
      const [row] = await q.select().from(quizAttempts).where(eq(quizAttempts.id, request.params.attemptId));
      const access = await requireBrandOf(q, actor, row?.brandId, 'quiz attempt', 'training.take');
      const own = actor.kind === 'user' && row!.userId === actor.userId;
      if (!own && !can(access, 'training.manage')) throw errors.notFound('quiz attempt');
      return { access, attempt: row! };
    };

    app.post(
      '/brands/:brandId/training/attempts',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['training'],
          summary:
            'Starts a quiz on the brand’s pack (capability training.take): its own quiz or questions generated from its rules with a seed; single player or teams taking turns',
          params: brandParams,
          body: z.strictObject({
            source: z.enum(['pack', 'generated']).default('pack'),
            seed: z
              .int()
              .min(1)
              .max(2_147_483_647)
              .optional()
              .describe('For generated questions: the same seed gives the same board'),
            mode: z.enum(['single', 'team']).default('single'),
            teams: z
              .array(z.string().trim().min(1, { error: 'must not be empty' }).max(60))
              .max(8, { error: 'at most 8 teams' })
              .optional()
              .describe('Team mode: the teams in turn order'),
          }),
          response: { 201: z.object({ data: attemptSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access, attempt } = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'training.take');
          return { access, attempt: await startAttempt(tx, ctx, access, packOf(access), request.body) };
        });
        return reply.status(201).send({ data: await presentAttempt(db, access, packOf(access), attempt) });
      },
    );

    app.get(
      '/training/attempts/:attemptId',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['training'],
          summary: 'One quiz attempt: the board, the answered cells with their judgement, scores per team',
          params: attemptParams,
          response: { 200: z.object({ data: attemptSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const { access, attempt } = await attemptAccess(db, request, contextOf(request).actor);
        return { data: await presentAttempt(db, access, packOf(access), attempt) };
      },
    );

    app.post(
      '/training/attempts/:attemptId/answers',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['training'],
          summary:
            'Answers one cell of the caller’s quiz; judged at once (tolerant free-text matching or the choice); in team mode it counts for the team whose turn it is',
          params: attemptParams,
          body: z.strictObject({
            questionId: z.string().min(1, { error: 'is required' }),
            answer: z.string().max(2000, { error: 'must be at most 2000 characters' }),
          }),
          response: { 200: z.object({ data: attemptSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { access, attempt } = await db.transaction(async (tx) => {
          const { access } = await attemptAccess(tx, request, ctx.actor);
          const result = await answerQuestion(
            tx,
            ctx,
            access,
            packOf(access),
            request.params.attemptId,
            request.body,
          );
          return { access, attempt: result.attempt };
        });
        return { data: await presentAttempt(db, access, packOf(access), attempt) };
      },
    );

    app.post(
      '/training/attempts/:attemptId/finish',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['training'],
          summary:
            'Ends the caller’s quiz now (cells not answered score nothing); a passing single-player quiz certifies',
          params: attemptParams,
          response: { 200: z.object({ data: attemptSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { access, attempt } = await db.transaction(async (tx) => {
          const { access } = await attemptAccess(tx, request, ctx.actor);
          return {
            access,
            attempt: await finishAttempt(tx, ctx, access, packOf(access), request.params.attemptId),
          };
        });
        return { data: await presentAttempt(db, access, packOf(access), attempt) };
      },
    );

    app.post(
      '/training/answers/:answerId/override',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['training'],
          summary:
            'A lead overrides the judgement of one answer (capability training.manage); the score and certification follow',
          params: z.strictObject({ answerId: uuidParam('answerId') }),
          body: z.strictObject({
            correct: z.boolean(),
            reason: z.string().trim().min(1, { error: 'must not be empty' }).max(1000),
          }),
          response: { 200: z.object({ data: attemptSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [row] = await db
          .select({ brandId: quizAnswers.brandId })
          .from(quizAnswers)
          .where(eq(quizAnswers.id, request.params.answerId));
        const { access, attempt } = await db.transaction(async (tx) => {
          const access = await requireBrandOf(tx, ctx.actor, row?.brandId, 'answer', 'training.manage');
          const result = await overrideAnswer(
            tx,
            ctx,
            access,
            packOf(access),
            request.params.answerId,
            request.body,
          );
          return { access, attempt: result.attempt };
        });
        return { data: await presentAttempt(db, access, packOf(access), attempt) };
      },
    );

    app.get(
      '/brands/:brandId/training/history',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['training'],
          summary:
            'Quiz history and certification: the caller’s own (training.take), or another member’s or everyone’s with training.manage',
          params: brandParams,
          querystring: z.strictObject({
            userId: uuidParam('userId')
              .optional()
              .describe('Whose history (training.manage for someone else); default: the caller'),
            all: z.enum(['true', 'false']).optional().describe('Everyone’s attempts (training.manage)'),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: {
            200: z.object({
              data: z.object({
                attempts: z.array(attemptSummarySchema),
                certification: certificationSchema.nullable(),
                settings: settingsSchema,
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { actor } = contextOf(request);
        const access = await requireBrand(db, actor, request.params.brandId, 'training.take');
        const self = actor.kind === 'user' ? actor.userId : undefined;
        const everyone = request.query.all === 'true';
        const userId = everyone ? undefined : (request.query.userId ?? self);
        if ((everyone || userId !== self) && !can(access, 'training.manage')) {
          throw errors.forbidden(
            `Your role (${access.role.title}) in ${access.brand.name} does not include the capability "training.manage".`,
          );
        }
        const rows = await listAttempts(db, access.brand.id, userId, request.query.limit);
        const [cert] = userId
          ? await db.select().from(certifications).where(eqBoth(access.brand.id, userId))
          : [];
        const settings = await trainingSettingsOf(db, access.brand.id);
        return {
          data: {
            attempts: rows.map(({ attempt, name, email }) => ({
              id: attempt.id,
              user: { id: attempt.userId, name, email },
              source: attempt.source,
              seed: attempt.seed,
              mode: attempt.mode,
              teams: attempt.teams,
              status: attempt.status,
              score: attempt.score,
              maxScore: attempt.maxScore,
              passed: attempt.passed,
              startedAt: attempt.startedAt.toISOString(),
              finishedAt: attempt.finishedAt?.toISOString() ?? null,
            })),
            certification:
              cert && cert.packId === access.brand.packId
                ? {
                    packId: cert.packId,
                    packVersion: cert.packVersion,
                    percent: cert.percent,
                    certifiedAt: cert.certifiedAt.toISOString(),
                    attemptId: cert.attemptId,
                  }
                : null,
            settings: { ...settings, allowed: can(access, 'training.manage') ? ['update'] : [] },
          },
        };
      },
    );

    app.get(
      '/brands/:brandId/training/certifications',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['training'],
          summary: 'Who in the brand is certified for its pack (capability training.manage)',
          params: brandParams,
          response: {
            200: z.object({
              data: z.array(
                certificationSchema.extend({
                  user: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
                }),
              ),
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
          'training.manage',
        );
        const rows = await db
          .select({ cert: certifications, name: users.name, email: users.email })
          .from(certifications)
          .innerJoin(users, eq(users.id, certifications.userId))
          .where(eq(certifications.brandId, access.brand.id))
          .orderBy(users.name);
        return {
          data: rows
            .filter((r) => r.cert.packId === access.brand.packId)
            .map(({ cert, name, email }) => ({
              user: { id: cert.userId, name, email },
              packId: cert.packId,
              packVersion: cert.packVersion,
              percent: cert.percent,
              certifiedAt: cert.certifiedAt.toISOString(),
              attemptId: cert.attemptId,
            })),
        };
      },
    );

    app.get(
      '/brands/:brandId/training/settings',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['training'],
          summary:
            'The brand’s training settings: the pass mark and whether certification is required to work tickets',
          params: brandParams,
          response: { 200: z.object({ data: settingsSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'training.take',
        );
        const settings = await trainingSettingsOf(db, access.brand.id);
        return { data: { ...settings, allowed: can(access, 'training.manage') ? ['update'] : [] } };
      },
    );

    app.patch(
      '/brands/:brandId/training/settings',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['training'],
          summary:
            'Changes the pass mark, or requires certification before agents work the brand’s tickets (capability training.manage)',
          params: brandParams,
          body: z.strictObject({
            requireCertification: z.boolean().optional(),
            passPercent: z
              .int()
              .min(1, { error: 'must be at least 1' })
              .max(100, { error: 'must be at most 100' })
              .optional(),
          }),
          response: { 200: z.object({ data: settingsSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const settings = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'training.manage');
          return updateTrainingSettings(tx, ctx, access, request.body);
        });
        return { data: { ...settings, allowed: ['update'] } };
      },
    );
  };

function eqBoth(brandId: string, userId: string) {
  return and(eq(certifications.brandId, brandId), eq(certifications.userId, userId));
}
