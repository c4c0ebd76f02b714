import { and, count, eq, gt } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../context';
import { brands, formSubmissions } from '../db/schema';
import { errors } from '../errors';
import { createTicket } from '../tickets/commands';
import { brandEnv } from '../tickets/env';
import { email, errorResponses } from './schemas';

/** Submissions allowed per client address, and per brand, within the window. */
export const CONTACT_LIMITS = { perIp: 5, perBrand: 500, windowMs: 10 * 60 * 1000 } as const;

const slugParams = z.strictObject({
  brandSlug: z.string().regex(/^[a-z0-9-]{1,64}$/, { error: 'is not a brand' }),
});
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^[^\r\n]*$/, { error: 'must be one line' });

/**
 * The public contact form of each brand: anyone may write, a message becomes a ticket from that
 * customer on the web-form channel. A hidden `website` field catches bots (a filled one is answered
 * as if accepted and dropped), and submissions are limited per address and per brand.
 */
export const contactFormRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    async function brandBySlug(slug: string) {
      const [brand] = await db.select().from(brands).where(eq(brands.slug, slug));
      if (!brand) throw errors.notFound('brand');
      return brand;
    }

    app.get(
      '/public/contact/:brandSlug',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['contact form'],
          summary: 'What the public contact form of a brand shows: the brand’s name',
          params: slugParams,
          response: {
            200: z.object({ data: z.object({ name: z.string(), slug: z.string() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const brand = await brandBySlug(request.params.brandSlug);
        return { data: { name: brand.name, slug: brand.slug } };
      },
    );

    app.post(
      '/public/contact/:brandSlug',
      {
        config: { auth: 'public' },
        bodyLimit: 256 * 1024,
        schema: {
          tags: ['contact form'],
          summary:
            'Sends a message through the brand’s contact form; it becomes a ticket. Rate-limited per address.',
          params: slugParams,
          body: z.strictObject({
            name: line(200),
            email,
            subject: line(300),
            message: z.string().trim().min(1, { error: 'must not be empty' }).max(20_000),
            orderNumber: line(64).optional(),
            website: z.string().max(500).optional().describe('Leave empty: a field people never see'),
          }),
          response: {
            202: z.object({
              data: z.object({ received: z.literal(true), reference: z.string().nullable() }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const now = request.now;
        const brand = await brandBySlug(request.params.brandSlug);
        const body = request.body;
        if (body.website) return reply.status(202).send({ data: { received: true, reference: null } });
        const since = new Date(now.getTime() - CONTACT_LIMITS.windowMs);
        const [[byIp], [byBrand]] = await Promise.all([
          db
            .select({ n: count() })
            .from(formSubmissions)
            .where(and(eq(formSubmissions.ip, request.ip), gt(formSubmissions.at, since))),
          db
            .select({ n: count() })
            .from(formSubmissions)
            .where(and(eq(formSubmissions.brandId, brand.id), gt(formSubmissions.at, since))),
        ]);
        if ((byIp?.n ?? 0) >= CONTACT_LIMITS.perIp || (byBrand?.n ?? 0) >= CONTACT_LIMITS.perBrand) {
          throw errors.rateLimited(CONTACT_LIMITS.windowMs / 1000);
        }
        const env = await brandEnv(db, deps, brand);
        const ctx = { actor: { kind: 'system' as const, name: 'contact-form' }, requestId: request.id, now };
        const ticket = await db.transaction(async (tx) => {
          const { ticket } = await createTicket(tx, ctx, env, {
            channel: 'web_form',
            subject: body.subject,
            customer: { name: body.name, email: body.email },
            message: {
              body: body.orderNumber ? `${body.message}\n\nOrder number: ${body.orderNumber}` : body.message,
              authorType: 'customer',
              fromName: body.name,
              fromAddress: body.email,
            },
          });
          await tx
            .insert(formSubmissions)
            .values({ brandId: brand.id, ip: request.ip, ticketId: ticket.id, at: now });
          return ticket;
        });
        return reply.status(202).send({ data: { received: true, reference: `#${ticket.number}` } });
      },
    );
  };
