import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Actor, Deps } from '../context';
import { sideConversations, tickets } from '../db/schema';
import { requireBrandOf } from '../policies';
import { brandEnv } from '../tickets/env';
import {
  addSideMessage,
  createSideConversation,
  presentSideConversation,
  SIDE_STATUSES,
  SIDE_WITH,
  setSideConversationStatus,
  sideConversationOf,
} from '../tickets/sideConversations';
import { email, errorResponses, uuidParam } from './schemas';

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

const sideMessageSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['reply', 'note']),
  direction: z.string(),
  authorType: z.string(),
  from: z.object({ name: z.string().nullable(), address: z.string().nullable() }),
  to: z.array(z.string()),
  subject: z.string().nullable(),
  bodyText: z.string(),
  bodyHtml: z.string().nullable().describe('Sanitised HTML; render only in a sandboxed frame'),
  deliveryState: z.string().nullable(),
  macro: z.string().nullable(),
  attachments: z.array(
    z.object({ id: z.uuid(), filename: z.string(), contentType: z.string(), size: z.number() }),
  ),
  createdAt: z.string(),
});

export const sideConversationSchema = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  with: z.enum(SIDE_WITH),
  vendorId: z.string().nullable(),
  to: z.string(),
  subject: z.string(),
  status: z.enum(SIDE_STATUSES),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messages: z.array(sideMessageSchema),
});

const sideParams = z.strictObject({ sideConversationId: uuidParam('sideConversationId') });
const dataResponse = z.object({ data: sideConversationSchema });

const author = (actor: Actor) =>
  actor.kind === 'user'
    ? { userId: actor.userId, name: actor.name }
    : { userId: null, name: actor.kind === 'api_token' ? actor.name : '' };

/** Side conversations: threads with a vendor, supplier or carrier, opened from a ticket. */
export const sideConversationRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    async function sideAccess(actor: Actor, id: string) {
      const [row] = await db
        .select({ brandId: sideConversations.brandId })
        .from(sideConversations)
        .where(eq(sideConversations.id, id));
      return requireBrandOf(db, actor, row?.brandId, 'side conversation', 'tickets.work');
    }

    app.post(
      '/tickets/:ticketId/side-conversations',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['tickets'],
          summary:
            'Opens a side conversation with a vendor, supplier or carrier and emails its first message; the customer never sees it',
          params: z.strictObject({ ticketId: uuidParam('ticketId') }),
          body: z.strictObject({
            with: z.enum(SIDE_WITH, { error: `must be one of ${SIDE_WITH.join(', ')}` }),
            vendorId: uuidParam('vendorId')
              .optional()
              .describe("The vendor; its contact email (or the pack's) is the default address"),
            to: email
              .optional()
              .describe('The address to write to; required when no vendor contact is known'),
            subject: text(500),
            body: text(200_000),
            macro: text(300).optional().describe('The macro the text came from, for reports'),
          }),
          response: { 201: dataResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const [ticket] = await db
          .select({ brandId: tickets.brandId })
          .from(tickets)
          .where(eq(tickets.id, request.params.ticketId));
        const access = await requireBrandOf(db, ctx.actor, ticket?.brandId, 'ticket', 'tickets.work');
        const env = await brandEnv(db, deps, access.brand);
        const side = await db.transaction((tx) =>
          createSideConversation(tx, ctx, env, request.params.ticketId, author(ctx.actor), request.body),
        );
        return reply.status(201).send({ data: await presentSideConversation(db, side) });
      },
    );

    app.get(
      '/side-conversations/:sideConversationId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary: 'One side conversation with its messages',
          params: sideParams,
          response: { 200: dataResponse, ...errorResponses },
        },
      },
      async (request) => {
        const access = await sideAccess(contextOf(request).actor, request.params.sideConversationId);
        const side = await sideConversationOf(db, access.brand.id, request.params.sideConversationId);
        return { data: await presentSideConversation(db, side) };
      },
    );

    app.post(
      '/side-conversations/:sideConversationId/messages',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['tickets'],
          summary:
            'Adds a reply (emailed to the vendor, supplier or carrier; the conversation then waits) or an internal note',
          params: sideParams,
          body: z.strictObject({ kind: z.enum(['reply', 'note']), body: text(200_000) }),
          response: { 201: dataResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await sideAccess(ctx.actor, request.params.sideConversationId);
        const env = await brandEnv(db, deps, access.brand);
        await db.transaction((tx) =>
          addSideMessage(tx, ctx, env, request.params.sideConversationId, author(ctx.actor), request.body),
        );
        const side = await sideConversationOf(db, access.brand.id, request.params.sideConversationId);
        return reply.status(201).send({ data: await presentSideConversation(db, side) });
      },
    );

    app.patch(
      '/side-conversations/:sideConversationId',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['tickets'],
          summary: 'Marks a side conversation open, waiting (for their answer) or closed',
          params: sideParams,
          body: z.strictObject({
            status: z.enum(SIDE_STATUSES, { error: `must be one of ${SIDE_STATUSES.join(', ')}` }),
          }),
          response: { 200: dataResponse, ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await sideAccess(ctx.actor, request.params.sideConversationId);
        const env = await brandEnv(db, deps, access.brand);
        const side = await db.transaction((tx) =>
          setSideConversationStatus(tx, ctx, env, request.params.sideConversationId, request.body.status),
        );
        return { data: await presentSideConversation(db, side) };
      },
    );
  };
