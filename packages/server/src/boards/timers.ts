import { durationHours, type Pack, renderTemplate } from '@casebook/core';
import { and, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps, RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { boardCards, brands, messages } from '../db/schema';
import { isAppError } from '../errors';
import { defineJob } from '../jobs/define';
import { enqueue } from '../jobs/queue';
import { postNotification } from '../notifications/post';
import { addAgentMessage, lockTicket } from '../tickets/commands';
import { brandEnv } from '../tickets/env';
import { findMacro, macroValues, renderWith } from '../tickets/macros';
import { addComment } from './cards';

/** The job that runs out a board column's timer (e.g. a week in "Waiting for response"). */
export const BOARD_TIMER_JOB = 'boards.timer';

const payloadSchema = z.object({
  cardId: z.uuid(),
  column: z.string(),
  /** When the card entered the column: a card that left and came back has a new timer. */
  enteredAt: z.string(),
  timer: z.string(),
  stage: z.enum(['first', 'then']),
});
type TimerPayload = z.infer<typeof payloadSchema>;

/** The one pending timer of a card. */
export const timerKey = (cardId: string) => `board-timer:${cardId}`;

async function schedule(
  tx: Queryable,
  brandId: string,
  pack: Pack,
  payload: TimerPayload,
  from: Date,
  now: Date,
) {
  const timer = pack.manifest.timers[payload.timer];
  if (!timer) throw new Error(`The pack "${pack.manifest.id}" has no timer "${payload.timer}".`);
  const hours = durationHours(timer.after) ?? 0;
  await enqueue(
    tx,
    {
      kind: BOARD_TIMER_JOB,
      brandId,
      payload,
      runAt: new Date(from.getTime() + hours * 3_600_000),
      uniqueKey: timerKey(payload.cardId),
    },
    now,
  );
}

/** Starts the timer of the column the card is in, if the board has one there. */
export async function startColumnTimer(
  tx: Queryable,
  brandId: string,
  pack: Pack,
  card: typeof boardCards.$inferSelect,
  now: Date,
): Promise<void> {
  const rule = pack.manifest.boards[card.board]?.timers[card.column];
  if (!rule) return;
  const payload: TimerPayload = {
    cardId: card.id,
    column: card.column,
    enteredAt: card.enteredColumnAt.toISOString(),
    timer: rule.timer,
    stage: 'first',
  };
  await schedule(tx, brandId, pack, payload, card.enteredColumnAt, now);
}

/**
 * A column timer that ran out. If the card is still where it was and the customer has not written
 * on the card's ticket since, Casebook writes the rule's comment on the card (e.g.
 * `Reminder sent 02-12-2026`, the date by the application clock in the brand's time zone), posts
 * to the rule's channel and starts the follow-up timer. Runs in the claiming transaction: once.
 */
export const boardTimerJob = defineJob<TimerPayload>(BOARD_TIMER_JOB, {
  mode: 'transaction',
  parse: (p) => payloadSchema.parse(p),
  async run({ tx, payload, now, deps }) {
    const [row] = await tx
      .select({ card: boardCards, packId: brands.packId })
      .from(boardCards)
      .innerJoin(brands, eq(brands.id, boardCards.brandId))
      .where(eq(boardCards.id, payload.cardId))
      .for('update', { of: boardCards });
    if (!row) return;
    const { card } = row;
    if (card.column !== payload.column || card.enteredColumnAt.toISOString() !== payload.enteredAt) return;
    const pack = deps.packs.get(row.packId);
    const rule = pack?.manifest.boards[card.board]?.timers[card.column];
    if (!pack || !rule) return;
    if (card.ticketId) {
      const [reply] = await tx
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(
            eq(messages.ticketId, card.ticketId),
            eq(messages.direction, 'in'),
            gt(messages.createdAt, card.enteredColumnAt),
          ),
        )
        .limit(1);
      if (reply) return;
    }
    const ctx: RequestContext = { actor: { kind: 'system', name: 'board timer' }, now };
    const first = payload.stage === 'first';
    const comment = first ? rule.comment : rule.thenComment;
    const post = first ? rule.post : rule.thenPost;
    const vars = { ...card.refs, title: card.title };
    const tz = pack.manifest.calendar.timezone;
    if (first && rule.reply && card.ticketId) {
      const sent = await sendReminder(tx, ctx, deps, card, rule.reply.macro);
      if (!sent.ok) {
        // Nothing was sent: say what is due instead of noting a reminder that did not go out.
        const today = renderTemplate('{{today:DD-MM-YYYY}}', {}, now, tz).text;
        await addComment(tx, ctx, card, `Reminder due ${today}: send "${rule.reply.macro}" (${sent.reason})`);
        return;
      }
    }
    if (comment) {
      await addComment(tx, ctx, card, renderTemplate(comment, vars, now, tz).text);
    }
    if (post) {
      await postNotification(
        tx,
        { brandId: card.brandId, channel: post.channel, template: post.template, vars, link: cardLink(card) },
        { now, pack },
      );
    }
    if (first && rule.then) {
      await schedule(tx, card.brandId, pack, { ...payload, timer: rule.then, stage: 'then' }, now, now);
    }
  },
});

/**
 * Sends the reminder macro as a reply on the card's ticket, in a savepoint: a ticket that is closed
 * or merged, or a macro with a placeholder nobody can fill, sends nothing and says why.
 */
async function sendReminder(
  tx: Queryable,
  ctx: RequestContext,
  deps: Deps,
  card: typeof boardCards.$inferSelect,
  macroName: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const [brand] = await tx.select().from(brands).where(eq(brands.id, card.brandId));
  const env = await brandEnv(tx, deps, brand!);
  const ticket = await lockTicket(tx, card.brandId, card.ticketId!);
  const values = await macroValues(tx, env, ticket, null);
  values['tradeIn.vNumber'] ??= card.refs.v_number ?? null;
  values['tradeIn.sNumber'] ??= card.refs.s_number ?? null;
  values['tradeIn.product'] ??= card.refs.product ?? null;
  try {
    const rendered = renderWith(await findMacro(tx, env, macroName), values);
    if (rendered.missing.length) {
      return { ok: false, reason: `no value for ${rendered.missing.map((m) => `{{${m}}}`).join(', ')}` };
    }
    await tx.transaction((sp) =>
      addAgentMessage(
        sp,
        ctx,
        env,
        ticket.id,
        { userId: null, name: 'Casebook' },
        {
          kind: 'reply',
          body: rendered.text,
          macroName,
        },
      ),
    );
  } catch (error) {
    if (isAppError(error)) return { ok: false, reason: error.message };
    throw error;
  }
  return { ok: true };
}

export function cardLink(card: { brandId: string; board: string; id: string }): string {
  return `/brands/${card.brandId}/boards/${card.board}?card=${card.id}`;
}
