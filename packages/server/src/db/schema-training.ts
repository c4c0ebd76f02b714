import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { brands, users } from './schema';

/**
 * Training: quiz attempts from the brand's pack with each judged answer, the certifications that
 * passing attempts give, and the brand's training settings (pass mark, certification required
 * before working tickets).
 */

/** One brand's training settings; a brand without a row uses the defaults. */
export const trainingSettings = pgTable('training_settings', {
  brandId: uuid('brand_id')
    .primaryKey()
    .references(() => brands.id, { onDelete: 'cascade' }),
  /** Agents must hold a certification for the brand's pack before they may work its tickets. */
  requireCertification: boolean('require_certification').notNull().default(false),
  /** The share of a board's points (percent) a single-player attempt needs to certify. */
  passPercent: integer('pass_percent').notNull().default(80),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One play of a quiz board, single player or teams taking turns. */
export const quizAttempts = pgTable(
  'quiz_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    packId: text('pack_id').notNull(),
    packVersion: text('pack_version').notNull(),
    /** `pack`: the pack's quiz; `generated`: questions generated from its rules with `seed`. */
    source: text('source', { enum: ['pack', 'generated'] }).notNull(),
    seed: integer('seed'),
    mode: text('mode', { enum: ['single', 'team'] }).notNull(),
    /** Team names in turn order (team mode); a single player plays as one team. */
    teams: jsonb('teams').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    status: text('status', { enum: ['in_progress', 'finished'] })
      .notNull()
      .default('in_progress'),
    maxScore: integer('max_score').notNull(),
    score: integer('score').notNull().default(0),
    passed: boolean('passed'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('quiz_attempts_brand_user_idx').on(t.brandId, t.userId, t.startedAt),
    index('quiz_attempts_brand_started_idx').on(t.brandId, t.startedAt),
  ],
);

/** One answered cell of an attempt, with the judgement (and a lead's override, if any). */
export const quizAnswers = pgTable(
  'quiz_answers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    attemptId: uuid('attempt_id')
      .notNull()
      .references(() => quizAttempts.id, { onDelete: 'cascade' }),
    brandId: uuid('brand_id').notNull(),
    questionId: text('question_id').notNull(),
    /** The index of the team that answered (0 for a single player). */
    team: integer('team').notNull().default(0),
    given: text('given').notNull(),
    correct: boolean('correct').notNull(),
    points: integer('points').notNull(),
    reason: text('reason').notNull(),
    /** `auto`: judged by the answer checker; `lead`: overridden by someone with training.manage. */
    judgedBy: text('judged_by', { enum: ['auto', 'lead'] })
      .notNull()
      .default('auto'),
    overriddenBy: uuid('overridden_by'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('quiz_answers_attempt_question_key').on(t.attemptId, t.questionId)],
);

/** A user's certification for a brand's pack: the attempt that passed. */
export const certifications = pgTable(
  'certifications',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    packId: text('pack_id').notNull(),
    packVersion: text('pack_version').notNull(),
    attemptId: uuid('attempt_id').notNull(),
    percent: integer('percent').notNull(),
    certifiedAt: timestamp('certified_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.userId] })],
);
