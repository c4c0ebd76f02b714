import { checkCardMove } from '@casebook/core';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import {
  addComment,
  type CardRow,
  cardFactsMany,
  commentsOf,
  createCard,
  lockCard,
  moveCard,
  packBoard,
} from '../boards/cards';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { boardCards } from '../db/schema';
import { type BrandAccess, can, requireBrand, requireBrandOf } from '../policies';
import { brandParams, errorResponses, uuidParam } from './schemas';

const boardParams = z.strictObject({
  brandId: uuidParam('brandId'),
  board: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be a board id such as trade-in-orders' }),
});
const cardParams = z.strictObject({ cardId: uuidParam('cardId') });

const commentSchema = z.object({ id: z.number(), body: z.string(), author: z.string(), at: z.string() });

const cardSchema = z.object({
  id: z.uuid(),
  board: z.string(),
  column: z.string(),
  position: z.number(),
  title: z.string(),
  refs: z.record(z.string(), z.string()),
  ticketId: z.uuid().nullable(),
  approvalId: z.uuid().nullable(),
  recordRef: z.string().nullable(),
  enteredColumnAt: z.string(),
  version: z.number(),
  comments: z.array(commentSchema),
  moves: z
    .array(z.object({ column: z.string(), allowed: z.boolean(), reason: z.string().nullable() }))
    .describe('Each other column, whether the card may enter it now, and why not'),
  allowed: z.array(z.string()),
});

const boardSchema = z.object({
  id: z.string(),
  title: z.string(),
  columns: z.array(
    z.object({ name: z.string(), condition: z.string().nullable(), timer: z.string().nullable() }),
  ),
});

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

export const boardRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const packOf = (access: BrandAccess) => deps.packs.get(access.brand.packId)!;

    function presentBoard(access: BrandAccess, id: string) {
      const def = packBoard(packOf(access), id);
      const timers = packOf(access).manifest.timers;
      return {
        id,
        title: def.title,
        columns: def.columns.map((name) => {
          const cond = def.enter[name];
          const timer = def.timers[name];
          return {
            name,
            condition: cond
              ? (cond.message ?? `needs ${cond.approval.replaceAll('_', ' ')} ${cond.states.join(' or ')}`)
              : null,
            timer: timer ? `${timer.timer} (${timers[timer.timer]?.after ?? '?'})` : null,
          };
        }),
      };
    }

    async function presentCards(db: Queryable, access: BrandAccess, cards: CardRow[]) {
      const comments = await commentsOf(
        db,
        cards.map((c) => c.id),
      );
      const pack = packOf(access);
      const mayMove = can(access, 'board.card.move');
      const allFacts = await cardFactsMany(db, access.brand.id, cards);
      const out = [];
      for (const card of cards) {
        const def = packBoard(pack, card.board);
        const facts = allFacts.get(card.id)!;
        out.push({
          id: card.id,
          board: card.board,
          column: card.column,
          position: card.position,
          title: card.title,
          refs: card.refs,
          ticketId: card.ticketId,
          approvalId: card.approvalId,
          recordRef: card.recordRef,
          enteredColumnAt: card.enteredColumnAt.toISOString(),
          version: card.version,
          comments: comments
            .filter((c) => c.cardId === card.id)
            .map((c) => ({ id: c.id, body: c.body, author: c.authorName, at: c.at.toISOString() })),
          moves: def.columns
            .filter((c) => c !== card.column)
            .map((column) => {
              const reason = mayMove ? checkCardMove(def, column, facts) : 'Your role may not move cards';
              return { column, allowed: reason === null, reason };
            }),
          allowed: mayMove ? ['move', 'comment'] : [],
        });
      }
      return out;
    }

    app.get(
      '/brands/:brandId/boards',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['boards'],
          summary: 'The pack’s Kanban boards',
          params: brandParams,
          response: { 200: z.object({ data: z.array(boardSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        return { data: Object.keys(packOf(access).manifest.boards).map((id) => presentBoard(access, id)) };
      },
    );

    app.get(
      '/brands/:brandId/boards/:board',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['boards'],
          summary: 'One board with its cards in column order',
          params: boardParams,
          response: {
            200: z.object({
              data: boardSchema.extend({ cards: z.array(cardSchema), allowed: z.array(z.string()) }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const board = presentBoard(access, request.params.board);
        const rows = await db
          .select()
          .from(boardCards)
          .where(and(eq(boardCards.brandId, access.brand.id), eq(boardCards.board, request.params.board)))
          .orderBy(asc(boardCards.column), asc(boardCards.position), asc(boardCards.createdAt))
          .limit(2000);
        return {
          data: {
            ...board,
            cards: await presentCards(db, access, rows),
            allowed: can(access, 'board.card.move') ? ['add_card'] : [],
          },
        };
      },
    );

    app.post(
      '/brands/:brandId/boards/:board/cards',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['boards'],
          summary:
            'Adds a card to a board, linked to a ticket and/or approval request (capability board.card.move)',
          params: boardParams,
          body: z.strictObject({
            title: text(300),
            column: z.string().optional(),
            refs: z.record(z.string().max(50), z.string().max(200)).optional(),
            ticketId: z.uuid({ error: 'must be a UUID' }).nullable().optional(),
            approvalId: z.uuid({ error: 'must be a UUID' }).nullable().optional(),
            recordRef: z.string().max(200).nullable().optional(),
          }),
          response: { 201: z.object({ data: cardSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access, card } = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'board.card.move');
          const card = await createCard(
            tx,
            ctx,
            access.brand.id,
            packOf(access),
            request.params.board,
            request.body,
          );
          return { access, card };
        });
        const [data] = await presentCards(db, access, [card]);
        return reply.status(201).send({ data: data! });
      },
    );

    async function cardAccess(
      request: { params: { cardId: string } },
      actor: ReturnType<typeof contextOf>['actor'],
    ) {
      const [row] = await db
        .select({ brandId: boardCards.brandId })
        .from(boardCards)
        .where(eq(boardCards.id, request.params.cardId));
      return requireBrandOf(db, actor, row?.brandId, 'card');
    }

    app.get(
      '/board-cards/:cardId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['boards'],
          summary: 'One card with its comments and the columns it may move to',
          params: cardParams,
          response: { 200: z.object({ data: cardSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await cardAccess(request, contextOf(request).actor);
        const [card] = await db.select().from(boardCards).where(eq(boardCards.id, request.params.cardId));
        const [data] = await presentCards(db, access, [card!]);
        return { data: data! };
      },
    );

    app.post(
      '/board-cards/:cardId/move',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['boards'],
          summary:
            'Moves a card to a column and position; a column’s condition (pack data) must hold, else 422 (capability board.card.move)',
          params: cardParams,
          body: z.strictObject({
            column: z.string().min(1, { error: 'is required' }),
            position: z.int().min(0).optional(),
            version: z
              .int()
              .min(1)
              .optional()
              .describe('The version you loaded; a stale one is refused with 409'),
          }),
          response: { 200: z.object({ data: cardSchema }), 422: errorResponses[400], ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await cardAccess(request, ctx.actor);
        const card = await db.transaction(async (tx) => {
          await requireBrand(tx, ctx.actor, access.brand.id, 'board.card.move');
          const card = await lockCard(tx, access.brand.id, request.params.cardId);
          return moveCard(tx, ctx, packOf(access), card, request.body);
        });
        const [data] = await presentCards(db, access, [card]);
        return { data: data! };
      },
    );

    app.post(
      '/board-cards/:cardId/comments',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['boards'],
          summary: 'Comments on a card, e.g. "email sent" (capability board.card.move)',
          params: cardParams,
          body: z.strictObject({ body: text(5000) }),
          response: { 201: z.object({ data: cardSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await cardAccess(request, ctx.actor);
        const card = await db.transaction(async (tx) => {
          await requireBrand(tx, ctx.actor, access.brand.id, 'board.card.move');
          const card = await lockCard(tx, access.brand.id, request.params.cardId);
          await addComment(tx, ctx, card, request.body.body);
          return card;
        });
        const [data] = await presentCards(db, access, [card]);
        return reply.status(201).send({ data: data! });
      },
    );
  };
