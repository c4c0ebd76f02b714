import { type CardFacts, checkCardMove, type Pack, type PackBoard } from '@casebook/core';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { audit } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { approvalRequests, boardCardComments, boardCards, tickets } from '../db/schema';
import { errors } from '../errors';
import { cancelJobs } from '../jobs/queue';
import { startColumnTimer, timerKey } from './timers';

export type CardRow = typeof boardCards.$inferSelect;

export function packBoard(pack: Pack, board: string): PackBoard {
  const def = pack.manifest.boards[board];
  if (!def) throw errors.notFound('board');
  return def;
}

/** The approval requests a card's moves depend on: the one linked to it and those of its ticket. */
export async function cardFacts(
  db: Queryable,
  card: Pick<CardRow, 'brandId' | 'approvalId' | 'ticketId'>,
): Promise<CardFacts> {
  const links = [
    card.approvalId ? eq(approvalRequests.id, card.approvalId) : undefined,
    card.ticketId ? eq(approvalRequests.ticketId, card.ticketId) : undefined,
  ].filter(Boolean);
  if (!links.length) return { approvals: [] };
  const rows = await db
    .select({ type: approvalRequests.type, state: approvalRequests.state })
    .from(approvalRequests)
    .where(and(eq(approvalRequests.brandId, card.brandId), or(...links)));
  return { approvals: rows };
}

/** `cardFacts` for many cards in one query (a board's worth), by card id. */
export async function cardFactsMany(
  db: Queryable,
  brandId: string,
  cards: Pick<CardRow, 'id' | 'approvalId' | 'ticketId'>[],
): Promise<Map<string, CardFacts>> {
  const approvalIds = [...new Set(cards.flatMap((c) => (c.approvalId ? [c.approvalId] : [])))];
  const ticketIds = [...new Set(cards.flatMap((c) => (c.ticketId ? [c.ticketId] : [])))];
  const links = [
    approvalIds.length ? inArray(approvalRequests.id, approvalIds) : undefined,
    ticketIds.length ? inArray(approvalRequests.ticketId, ticketIds) : undefined,
  ].filter(Boolean);
  const rows = links.length
    ? await db
        .select({
          id: approvalRequests.id,
          ticketId: approvalRequests.ticketId,
          type: approvalRequests.type,
          state: approvalRequests.state,
        })
        .from(approvalRequests)
        .where(and(eq(approvalRequests.brandId, brandId), or(...links)))
    : [];
  return new Map(
    cards.map((card) => [
      card.id,
      {
        approvals: rows
          .filter((r) => r.id === card.approvalId || (card.ticketId !== null && r.ticketId === card.ticketId))
          .map((r) => ({ type: r.type, state: r.state })),
      },
    ]),
  );
}

async function nextPosition(tx: Queryable, brandId: string, board: string, column: string): Promise<number> {
  const [row] = await tx
    .select({ max: sql<number | null>`max(${boardCards.position})` })
    .from(boardCards)
    .where(and(eq(boardCards.brandId, brandId), eq(boardCards.board, board), eq(boardCards.column, column)));
  return (row?.max ?? -1) + 1;
}

export type NewCard = {
  title: string;
  column?: string | undefined;
  refs?: Record<string, string> | undefined;
  ticketId?: string | null | undefined;
  approvalId?: string | null | undefined;
  recordRef?: string | null | undefined;
};

/** Adds a card to a board (default: its first column), linked to a ticket and/or approval request. */
export async function createCard(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  board: string,
  input: NewCard,
): Promise<CardRow> {
  const def = packBoard(pack, board);
  const column = input.column ?? def.columns[0]!;
  if (input.ticketId) {
    const [t] = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.id, input.ticketId), eq(tickets.brandId, brandId)));
    if (!t) throw errors.field('ticketId', 'is not a ticket of this brand');
  }
  if (input.approvalId) {
    const [a] = await tx
      .select({ id: approvalRequests.id })
      .from(approvalRequests)
      .where(and(eq(approvalRequests.id, input.approvalId), eq(approvalRequests.brandId, brandId)));
    if (!a) throw errors.field('approvalId', 'is not an approval request of this brand');
  }
  const facts = await cardFacts(tx, {
    brandId,
    approvalId: input.approvalId ?? null,
    ticketId: input.ticketId ?? null,
  });
  const refusal = checkCardMove(def, column, facts);
  if (refusal) throw errors.field('column', refusal);
  const [card] = await tx
    .insert(boardCards)
    .values({
      brandId,
      board,
      column,
      position: await nextPosition(tx, brandId, board, column),
      title: input.title,
      refs: input.refs ?? {},
      ticketId: input.ticketId ?? null,
      approvalId: input.approvalId ?? null,
      recordRef: input.recordRef ?? null,
      enteredColumnAt: ctx.now,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await audit(tx, ctx, {
    brandId,
    entityType: 'board_card',
    entityId: card!.id,
    action: 'create',
    after: card,
  });
  await startColumnTimer(tx, brandId, pack, card!, ctx.now);
  return card!;
}

export async function lockCard(tx: Queryable, brandId: string, cardId: string): Promise<CardRow> {
  const [card] = await tx
    .select()
    .from(boardCards)
    .where(and(eq(boardCards.id, cardId), eq(boardCards.brandId, brandId)))
    .for('update');
  if (!card) throw errors.notFound('card');
  return card;
}

/**
 * Moves a card to a column (and position in it), if the column's condition holds for the card.
 * Leaving a column cancels its timer; entering one starts the column's timer.
 */
export async function moveCard(
  tx: Queryable,
  ctx: RequestContext,
  pack: Pack,
  card: CardRow,
  input: { column: string; position?: number | undefined; version?: number | undefined },
): Promise<CardRow> {
  const def = packBoard(pack, card.board);
  if (input.version !== undefined && input.version !== card.version) {
    throw errors.conflict('The card changed since you loaded it. Reload and try again.', {
      version: card.version,
    });
  }
  const refusal = checkCardMove(def, input.column, await cardFacts(tx, card));
  if (refusal) throw errors.guardrail('board.enter', refusal);
  const changedColumn = input.column !== card.column;
  const siblings = await tx
    .select({ id: boardCards.id })
    .from(boardCards)
    .where(
      and(
        eq(boardCards.brandId, card.brandId),
        eq(boardCards.board, card.board),
        eq(boardCards.column, input.column),
        sql`${boardCards.id} <> ${card.id}`,
      ),
    )
    .orderBy(asc(boardCards.position), asc(boardCards.createdAt));
  const at = Math.max(0, Math.min(input.position ?? siblings.length, siblings.length));
  const order = siblings.map((s) => s.id);
  order.splice(at, 0, card.id);
  for (const [i, id] of order.entries()) {
    if (id !== card.id) await tx.update(boardCards).set({ position: i }).where(eq(boardCards.id, id));
  }
  const [moved] = await tx
    .update(boardCards)
    .set({
      column: input.column,
      position: at,
      version: card.version + 1,
      updatedAt: ctx.now,
      ...(changedColumn ? { enteredColumnAt: ctx.now } : {}),
    })
    .where(eq(boardCards.id, card.id))
    .returning();
  await audit(tx, ctx, {
    brandId: card.brandId,
    entityType: 'board_card',
    entityId: card.id,
    action: 'move',
    before: { column: card.column, position: card.position },
    after: { column: moved!.column, position: moved!.position },
  });
  if (changedColumn) {
    await cancelJobs(tx, { uniqueKey: timerKey(card.id) }, ctx.now);
    await startColumnTimer(tx, card.brandId, pack, moved!, ctx.now);
  }
  return moved!;
}

/** Writes a comment on a card, by the actor (or Casebook, for a system actor). */
export async function addComment(
  tx: Queryable,
  ctx: RequestContext,
  card: CardRow,
  body: string,
): Promise<typeof boardCardComments.$inferSelect> {
  const [comment] = await tx
    .insert(boardCardComments)
    .values({
      brandId: card.brandId,
      cardId: card.id,
      body,
      authorId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      authorName: ctx.actor.kind === 'user' ? ctx.actor.name : actorLabel(ctx.actor),
      at: ctx.now,
    })
    .returning();
  await audit(tx, ctx, {
    brandId: card.brandId,
    entityType: 'board_card',
    entityId: card.id,
    action: 'comment',
    after: { body },
  });
  return comment!;
}

/** Moves every card of a board linked to an approval request (or to its ticket) to a column. */
export async function moveCardsOfApproval(
  tx: Queryable,
  ctx: RequestContext,
  pack: Pack,
  request: { id: string; brandId: string; ticketId: string | null },
  board: string,
  column: string,
): Promise<CardRow[]> {
  const links = [eq(boardCards.approvalId, request.id)];
  if (request.ticketId) links.push(eq(boardCards.ticketId, request.ticketId));
  const cards = await tx
    .select()
    .from(boardCards)
    .where(and(eq(boardCards.brandId, request.brandId), eq(boardCards.board, board), or(...links)))
    .for('update');
  const moved: CardRow[] = [];
  for (const card of cards) {
    if (card.column === column) continue;
    moved.push(await moveCard(tx, ctx, pack, card, { column }));
  }
  return moved;
}

export async function commentsOf(db: Queryable, cardIds: string[]) {
  if (!cardIds.length) return [];
  return db
    .select()
    .from(boardCardComments)
    .where(inArray(boardCardComments.cardId, cardIds))
    .orderBy(asc(boardCardComments.id));
}
