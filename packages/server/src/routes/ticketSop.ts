import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Actor, Deps } from '../context';
import { tickets } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, requireBrandOf } from '../policies';
import { applyAdvice, overrideAdvice, ticketAdvice } from '../tickets/advice';
import type { TicketRow } from '../tickets/commands';
import { brandEnv } from '../tickets/env';
import { applyMacro, renderTicketMacro, unresolvedPlaceholders } from '../tickets/macros';
import { presentTicket } from '../tickets/present';
import { errorResponses, uuidParam } from './schemas';
import { ticketSchema } from './tickets';

const ticketParams = z.strictObject({ ticketId: uuidParam('ticketId') });
const version = z
  .int()
  .min(1)
  .optional()
  .describe('The ticket version you loaded; a stale one is refused with 409');
const macroName = z.string().trim().min(1, { error: 'must not be empty' }).max(300);
const replyBody = z.string().trim().min(1, { error: 'must not be empty' }).max(200_000);
const withGuardrails = { 422: errorResponses[400], ...errorResponses };

const actionSchema = z.object({ type: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean()]));

const renderedMacroSchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  source: z.enum(['pack', 'custom']),
  text: z.string().describe('The macro filled in for this ticket'),
  missing: z
    .array(z.string())
    .describe('Placeholders this ticket has no value for; fill them in before sending'),
  actions: z.array(z.record(z.string(), z.unknown())).describe('What sending it also does (brand macros)'),
});

const ticketAdviceSchema = z.object({
  pack: z.string(),
  packVersion: z.string(),
  intent: z.object({
    name: z.string(),
    title: z.string().nullable(),
    confidence: z.number().optional().describe('The classifier’s confidence, for an inferred intent'),
    inferred: z.boolean(),
    overridden: z.boolean().describe('An agent chose the intent'),
  }),
  playbook: z.object({ id: z.string(), title: z.string() }).nullable(),
  actions: z.array(
    z.object({
      index: z.number(),
      action: actionSchema,
      rule: z.string(),
      because: z.string().describe('The rule’s reason with the fact values its condition read'),
      preview: renderedMacroSchema.optional().describe('For send_macro: the macro filled in for this ticket'),
    }),
  ),
  blocked: z
    .array(
      z.object({ index: z.number(), action: actionSchema, reason: z.string().describe('Who may do it') }),
    )
    .describe('What the SOP wants but the caller’s role may not do; numbered after the actions'),
  scenario: z
    .record(z.string(), z.unknown())
    .describe('The advice contract’s scenario the advice was computed from'),
  sources: z.object({
    messageId: z.string().nullable(),
    orderId: z.string().nullable(),
    poId: z.string().nullable(),
  }),
});

/** The ticket panel of the SOP: advice computed from the ticket's data, macros, and applying both. */
export const ticketSopRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    /** The caller's access to the ticket's brand (capability tickets.work), the brand env and the ticket. */
    async function load(actor: Actor, ticketId: string) {
      const [ticket] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
      const access = await requireBrandOf(db, actor, ticket?.brandId, 'ticket', 'tickets.work');
      return { access, ticket: ticket!, env: await brandEnv(db, deps, access.brand) };
    }

    const agentOf = (actor: Actor) => (actor.kind === 'user' ? { name: actor.name } : null);
    const authorOf = (actor: Actor) => ({
      userId: actor.kind === 'user' ? actor.userId : null,
      name: actor.kind === 'user' ? actor.name : '',
    });

    async function present(access: BrandAccess, ticketId: string) {
      const [ticket] = await db.select().from(tickets).where(eq(tickets.id, ticketId));
      if (!ticket) throw errors.notFound('ticket');
      return presentTicket(db, access, deps.packs.get(access.brand.packId)!, ticket);
    }

    async function freshAdvice(access: BrandAccess, ticketId: string, actor: Actor, now: Date) {
      const [ticket] = (await db.select().from(tickets).where(eq(tickets.id, ticketId))) as [TicketRow];
      const env = await brandEnv(db, deps, access.brand);
      return ticketAdvice(db, env, ticket, access.role, now, agentOf(actor));
    }

    app.get(
      '/tickets/:ticketId/advice',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['advice'],
          summary:
            'What the SOP requires next on this ticket and why, from its messages, customer, order, POs and tracking (the caller’s role decides what is blocked)',
          params: ticketParams,
          response: { 200: z.object({ data: ticketAdviceSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { access, ticket, env } = await load(ctx.actor, request.params.ticketId);
        return { data: await ticketAdvice(db, env, ticket, access.role, ctx.now, agentOf(ctx.actor)) };
      },
    );

    app.post(
      '/tickets/:ticketId/advice/apply',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['advice'],
          summary:
            'Carries out one advised action (send_macro, set_po_status, escalate, follow_up, add_note, categorize) and records it as followed; other actions return what the UI should open. A blocked action is 403; an index whose rule changed is 409; a broken guardrail is 422.',
          params: ticketParams,
          body: z.strictObject({
            index: z.int().min(0).describe('The action’s index in the advice'),
            rule: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .describe('The rule the advice showed for it (required for an advised action)'),
            version,
            body: replyBody
              .optional()
              .describe('For send_macro: the agent’s edited text (default: the macro filled in)'),
          }),
          response: {
            200: z.object({
              data: z.object({
                applied: z.boolean(),
                type: z.string(),
                rule: z.string(),
                next: z
                  .object({ view: z.string(), action: actionSchema })
                  .optional()
                  .describe(
                    'When not applied: what the UI should open (side_conversation, tracker, approval, ...)',
                  ),
                ticket: ticketSchema,
                advice: ticketAdviceSchema,
              }),
            }),
            ...withGuardrails,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { access, env } = await load(ctx.actor, request.params.ticketId);
        const result = await db.transaction((tx) =>
          applyAdvice(tx, ctx, access, env, request.params.ticketId, authorOf(ctx.actor), request.body),
        );
        return {
          data: {
            ...result,
            ticket: await present(access, request.params.ticketId),
            advice: await freshAdvice(access, request.params.ticketId, ctx.actor, ctx.now),
          },
        };
      },
    );

    app.post(
      '/tickets/:ticketId/advice/override',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['advice'],
          summary:
            'Goes another way than the advice: sets (or clears, with null) the ticket’s intent and/or records a rule’s advice as overridden; returns the new advice',
          params: ticketParams,
          body: z
            .strictObject({
              intent: z
                .string()
                .trim()
                .min(1)
                .max(100)
                .nullable()
                .optional()
                .describe('An intent of the pack; null: infer it again'),
              rule: z.string().min(1).max(200).optional().describe('The rule whose advice is not followed'),
              note: z.string().trim().max(2000).optional().describe('Why, for the ticket’s history'),
              version,
            })
            .refine((b) => b.intent !== undefined || b.rule !== undefined, {
              error: 'give an intent, a rule, or both',
              path: ['intent'],
            }),
          response: { 200: z.object({ data: ticketAdviceSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { access, env } = await load(ctx.actor, request.params.ticketId);
        await db.transaction((tx) =>
          overrideAdvice(tx, ctx, access, env, request.params.ticketId, authorOf(ctx.actor), request.body),
        );
        return { data: await freshAdvice(access, request.params.ticketId, ctx.actor, ctx.now) };
      },
    );

    app.post(
      '/tickets/:ticketId/macros/render',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary:
            'A pack or brand macro filled in for this ticket, with the placeholders it has no value for',
          params: ticketParams,
          body: z.strictObject({ macro: macroName }),
          response: { 200: z.object({ data: renderedMacroSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { ticket, env } = await load(ctx.actor, request.params.ticketId);
        return { data: await renderTicketMacro(db, env, ticket, agentOf(ctx.actor), request.body.macro) };
      },
    );

    app.post(
      '/tickets/:ticketId/macros/apply',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['helpdesk'],
          summary:
            'Sends a macro as a reply and applies its actions in one transaction (send: false only previews). A placeholder left unfilled is 400; a PO status change that breaks a guardrail is 422 and nothing is written.',
          params: ticketParams,
          body: z.strictObject({
            macro: macroName,
            body: replyBody.optional().describe('The agent’s edited text; default: the macro filled in'),
            send: z.boolean(),
            version,
          }),
          response: {
            200: z.object({ data: z.object({ sent: z.literal(false), macro: renderedMacroSchema }) }),
            201: z.object({
              data: z.object({ sent: z.literal(true), macro: renderedMacroSchema, ticket: ticketSchema }),
            }),
            ...withGuardrails,
          },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access, ticket, env } = await load(ctx.actor, request.params.ticketId);
        const body = request.body;
        if (!body.send) {
          const macro = await renderTicketMacro(db, env, ticket, agentOf(ctx.actor), body.macro);
          const preview = body.body
            ? { ...macro, text: body.body, missing: unresolvedPlaceholders(body.body) }
            : macro;
          return reply.status(200).send({ data: { sent: false as const, macro: preview } });
        }
        const { macro } = await db.transaction((tx) =>
          applyMacro(tx, ctx, access, env, ticket.id, authorOf(ctx.actor), {
            macro: body.macro,
            body: body.body,
            version: body.version,
          }),
        );
        return reply
          .status(201)
          .send({ data: { sent: true as const, macro, ticket: await present(access, ticket.id) } });
      },
    );
  };
