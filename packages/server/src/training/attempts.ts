import {
  judgeAnswer,
  type Pack,
  publicQuestion,
  type QuizBoard,
  type QuizQuestion,
  type QuizSource,
  quizBoard,
} from '@casebook/core';
import { and, asc, desc, eq } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { certifications, quizAnswers, quizAttempts, trainingSettings, users } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, can } from '../policies';
import { type TrainingSettings, trainingSettingsOf } from './certification';

export type AttemptRow = typeof quizAttempts.$inferSelect;
export type AnswerRow = typeof quizAnswers.$inferSelect;

/** The board an attempt plays: the pack's quiz, or the questions generated with its seed. */
export function boardOf(pack: Pack, attempt: { source: QuizSource; seed: number | null }): QuizBoard {
  const board = quizBoard(pack, attempt.source, attempt.seed ?? 1);
  if (!board) throw errors.conflict('The brand’s pack has no quiz of its own; play generated questions.');
  return board;
}

function maxScore(board: QuizBoard): number {
  return board.questions.reduce((s, q) => s + q.points, 0);
}

export type StartAttemptInput = {
  source: QuizSource;
  seed?: number;
  mode: 'single' | 'team';
  teams?: string[];
};

/** Starts a quiz attempt for the caller on the brand's pack. */
export async function startAttempt(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  input: StartAttemptInput,
): Promise<AttemptRow> {
  if (ctx.actor.kind !== 'user') throw errors.forbidden('Only people take quizzes.');
  const seed = input.source === 'generated' ? (input.seed ?? 1) : null;
  const board = boardOf(pack, { source: input.source, seed });
  if (board.questions.length === 0) throw errors.conflict('The pack gives no questions to play.');
  const teams = input.mode === 'team' ? (input.teams ?? []) : [];
  if (input.mode === 'team' && teams.length < 2)
    throw errors.field('teams', 'team mode needs at least two teams');
  const [row] = await tx
    .insert(quizAttempts)
    .values({
      brandId: access.brand.id,
      userId: ctx.actor.userId,
      packId: pack.manifest.id,
      packVersion: pack.manifest.version,
      source: input.source,
      seed,
      mode: input.mode,
      teams,
      maxScore: maxScore(board),
      startedAt: ctx.now,
    })
    .returning();
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'quiz_attempt',
    entityId: row!.id,
    action: 'create',
    after: row,
  });
  return row!;
}

/** The team whose turn it is: teams answer in turn; a single player is always team 0. */
export function teamToPlay(attempt: AttemptRow, answered: number): number {
  return attempt.mode === 'team' ? answered % Math.max(attempt.teams.length, 1) : 0;
}

async function answersOf(db: Queryable, attemptId: string): Promise<AnswerRow[]> {
  return db
    .select()
    .from(quizAnswers)
    .where(eq(quizAnswers.attemptId, attemptId))
    .orderBy(asc(quizAnswers.at));
}

/** Locks the attempt row for a change, so two answers to one attempt queue up. */
async function lockAttempt(tx: Queryable, attemptId: string): Promise<AttemptRow> {
  const [row] = await tx.select().from(quizAttempts).where(eq(quizAttempts.id, attemptId)).for('update');
  if (!row) throw errors.notFound('quiz attempt');
  return row;
}

/**
 * Records and judges one answer. Each cell is answered once; in team mode it counts for the team
 * whose turn it is. The attempt finishes when every cell is answered.
 */
export async function answerQuestion(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  attemptId: string,
  input: { questionId: string; answer: string },
): Promise<{ attempt: AttemptRow; answer: AnswerRow; expected: string }> {
  const attempt = await lockAttempt(tx, attemptId);
  if (ctx.actor.kind !== 'user' || attempt.userId !== ctx.actor.userId)
    throw errors.forbidden('Only the person who started the quiz answers its questions.');
  if (attempt.status !== 'in_progress') throw errors.conflict('This quiz is finished.');
  const board = boardOf(pack, attempt);
  const question = board.questions.find((q) => q.id === input.questionId);
  if (!question) throw errors.field('questionId', `the board has no question "${input.questionId}"`);
  const answered = await answersOf(tx, attempt.id);
  if (answered.some((a) => a.questionId === question.id))
    throw errors.conflict('This question has already been answered.', { questionId: question.id });
  const judgement = judgeAnswer(question, input.answer);
  let row: AnswerRow;
  try {
    [row] = (await tx
      .insert(quizAnswers)
      .values({
        attemptId: attempt.id,
        brandId: attempt.brandId,
        questionId: question.id,
        team: teamToPlay(attempt, answered.length),
        given: input.answer,
        correct: judgement.correct,
        points: question.points,
        reason: judgement.reason,
        at: ctx.now,
      })
      .returning()) as [AnswerRow];
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.conflict('This question has already been answered.');
    throw error;
  }
  await audit(tx, ctx, {
    brandId: attempt.brandId,
    entityType: 'quiz_answer',
    entityId: row.id,
    action: 'create',
    after: row,
  });
  const all = [...answered, row];
  let updated = await rescore(tx, attempt, all);
  if (all.length >= board.questions.length) updated = await finish(tx, ctx, access, pack, updated);
  return { attempt: updated, answer: row, expected: question.answer };
}

async function rescore(tx: Queryable, attempt: AttemptRow, answers: AnswerRow[]) {
  const score = answers.filter((a) => a.correct).reduce((s, a) => s + a.points, 0);
  if (score === attempt.score) return attempt;
  const [row] = await tx
    .update(quizAttempts)
    .set({ score })
    .where(eq(quizAttempts.id, attempt.id))
    .returning();
  return row!;
}

function passes(attempt: AttemptRow, settings: TrainingSettings): boolean {
  return (
    attempt.mode === 'single' &&
    attempt.maxScore > 0 &&
    attempt.score * 100 >= settings.passPercent * attempt.maxScore
  );
}

/** Ends an attempt (unanswered cells score nothing); a passing single-player attempt certifies. */
async function finish(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  attempt: AttemptRow,
): Promise<AttemptRow> {
  const settings = await trainingSettingsOf(tx, attempt.brandId);
  const passed = attempt.mode === 'single' ? passes(attempt, settings) : null;
  const [row] = await tx
    .update(quizAttempts)
    .set({ status: 'finished', finishedAt: ctx.now, passed })
    .where(eq(quizAttempts.id, attempt.id))
    .returning();
  await audit(tx, ctx, {
    brandId: attempt.brandId,
    entityType: 'quiz_attempt',
    entityId: attempt.id,
    action: 'finish',
    before: { status: attempt.status },
    after: { status: 'finished', score: row!.score, maxScore: row!.maxScore, passed },
  });
  if (passed) await certify(tx, ctx, access, pack, row!);
  return row!;
}

async function certify(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  attempt: AttemptRow,
) {
  const percent = Math.round((attempt.score * 100) / attempt.maxScore);
  const values = {
    brandId: attempt.brandId,
    userId: attempt.userId,
    packId: pack.manifest.id,
    packVersion: pack.manifest.version,
    attemptId: attempt.id,
    percent,
    certifiedAt: ctx.now,
  };
  await tx
    .insert(certifications)
    .values(values)
    .onConflictDoUpdate({ target: [certifications.brandId, certifications.userId], set: values });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'certification',
    entityId: attempt.userId,
    action: 'certify',
    after: values,
  });
}

/** Ends the caller's attempt now; cells not answered score nothing. */
export async function finishAttempt(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  attemptId: string,
): Promise<AttemptRow> {
  const attempt = await lockAttempt(tx, attemptId);
  if (ctx.actor.kind !== 'user' || attempt.userId !== ctx.actor.userId)
    throw errors.forbidden('Only the person who started the quiz finishes it.');
  if (attempt.status !== 'in_progress') throw errors.conflict('This quiz is already finished.');
  return finish(tx, ctx, access, pack, attempt);
}

/**
 * A lead's override of a judged answer. The attempt's score follows; a finished single-player
 * attempt is judged again against the pass mark, which may certify the player or withdraw the
 * certification this attempt gave.
 */
export async function overrideAnswer(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  answerId: string,
  input: { correct: boolean; reason: string },
): Promise<{ attempt: AttemptRow; answer: AnswerRow }> {
  const [found] = await tx.select().from(quizAnswers).where(eq(quizAnswers.id, answerId));
  if (!found) throw errors.notFound('answer');
  const attempt = await lockAttempt(tx, found.attemptId);
  const [answer] = await tx
    .update(quizAnswers)
    .set({
      correct: input.correct,
      reason: input.reason,
      judgedBy: 'lead',
      overriddenBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    })
    .where(eq(quizAnswers.id, answerId))
    .returning();
  await audit(tx, ctx, {
    brandId: attempt.brandId,
    entityType: 'quiz_answer',
    entityId: answerId,
    action: 'override',
    before: { correct: found.correct, reason: found.reason, judgedBy: found.judgedBy },
    after: { correct: input.correct, reason: input.reason, judgedBy: 'lead' },
  });
  let updated = await rescore(tx, attempt, await answersOf(tx, attempt.id));
  if (updated.status === 'finished' && updated.mode === 'single') {
    const settings = await trainingSettingsOf(tx, updated.brandId);
    const passed = passes(updated, settings);
    if (passed !== updated.passed) {
      [updated] = (await tx
        .update(quizAttempts)
        .set({ passed })
        .where(eq(quizAttempts.id, updated.id))
        .returning()) as [AttemptRow];
      if (passed) await certify(tx, ctx, access, pack, updated);
      else {
        const removed = await tx
          .delete(certifications)
          .where(and(eq(certifications.brandId, updated.brandId), eq(certifications.attemptId, updated.id)))
          .returning();
        if (removed.length > 0) {
          await audit(tx, ctx, {
            brandId: updated.brandId,
            entityType: 'certification',
            entityId: updated.userId,
            action: 'withdraw',
            before: removed[0],
          });
        }
      }
    }
  }
  return { attempt: updated, answer: answer! };
}

/** Changes the brand's training settings. */
export async function updateTrainingSettings(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  input: Partial<TrainingSettings>,
): Promise<TrainingSettings> {
  const before = await trainingSettingsOf(tx, access.brand.id);
  const after = { ...before, ...input };
  await tx
    .insert(trainingSettings)
    .values({ brandId: access.brand.id, ...after, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: trainingSettings.brandId, set: { ...after, updatedAt: ctx.now } });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'training_settings',
    entityId: access.brand.id,
    action: 'update',
    before,
    after,
  });
  return after;
}

/** An attempt as the API shows it: the board without answers (until answered), scores per team. */
export async function presentAttempt(db: Queryable, access: BrandAccess, pack: Pack, attempt: AttemptRow) {
  const board = boardOf(pack, attempt);
  const answers = await answersOf(db, attempt.id);
  const byQuestion = new Map(answers.map((a) => [a.questionId, a]));
  const teams = attempt.mode === 'team' ? attempt.teams : ['Player'];
  const [player] = await db.select({ name: users.name }).from(users).where(eq(users.id, attempt.userId));
  return {
    id: attempt.id,
    brandId: attempt.brandId,
    user: { id: attempt.userId, name: player?.name ?? null },
    packId: attempt.packId,
    packVersion: attempt.packVersion,
    source: attempt.source,
    seed: attempt.seed,
    mode: attempt.mode,
    status: attempt.status,
    score: attempt.score,
    maxScore: attempt.maxScore,
    passed: attempt.passed,
    startedAt: attempt.startedAt.toISOString(),
    finishedAt: attempt.finishedAt?.toISOString() ?? null,
    teams: teams.map((name, i) => ({
      name,
      score: answers.filter((a) => a.team === i && a.correct).reduce((s, a) => s + a.points, 0),
    })),
    turn: attempt.status === 'in_progress' ? teamToPlay(attempt, answers.length) : null,
    categories: board.categories,
    points: board.points,
    questions: board.questions.map((q: QuizQuestion) => {
      const a = byQuestion.get(q.id);
      return {
        ...publicQuestion(q),
        answered: a
          ? {
              id: a.id,
              team: a.team,
              given: a.given,
              correct: a.correct,
              reason: a.reason,
              judgedBy: a.judgedBy,
              expected: q.answer,
            }
          : null,
      };
    }),
    allowed: [
      ...(attempt.status === 'in_progress' &&
      access.actor.kind === 'user' &&
      access.actor.userId === attempt.userId
        ? ['answer', 'finish']
        : []),
      ...(can(access, 'training.manage') ? ['override'] : []),
    ],
  };
}

/** Attempts in the brand, newest first: the caller's own, or (training.manage) anyone's. */
export async function listAttempts(
  db: Queryable,
  brandId: string,
  userId: string | undefined,
  limit: number,
) {
  return db
    .select({ attempt: quizAttempts, name: users.name, email: users.email })
    .from(quizAttempts)
    .innerJoin(users, eq(users.id, quizAttempts.userId))
    .where(and(eq(quizAttempts.brandId, brandId), userId ? eq(quizAttempts.userId, userId) : undefined))
    .orderBy(desc(quizAttempts.startedAt), desc(quizAttempts.id))
    .limit(limit);
}
