import { and, asc, desc, eq, ilike, or, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { audit } from '../audit';
import type { Deps } from '../context';
import { isUniqueViolation } from '../db/errors';
import { customerEmails, customers, orders, tickets } from '../db/schema';
import { errors } from '../errors';
import { requireBrand, requireBrandOf } from '../policies';
import { findOrCreateCustomer } from '../tickets/customers';
import { brandParams, email, errorResponses, uuidParam } from './schemas';

const customerSchema = z.object({
  id: z.uuid(),
  brandId: z.uuid(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  emails: z.array(z.string()),
  phone: z.string().nullable(),
  notes: z.string().nullable(),
  storeCreditBalance: z.number(),
  version: z.number(),
  createdAt: z.string(),
});

const customerDetailSchema = customerSchema.extend({
  tickets: z.array(
    z.object({
      id: z.uuid(),
      number: z.number(),
      subject: z.string(),
      status: z.string(),
      updatedAt: z.string(),
    }),
  ),
  orders: z.array(z.object({ id: z.uuid(), number: z.string(), placedAt: z.string(), channel: z.string() })),
});

const params = z.strictObject({ customerId: uuidParam('customerId') });
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const customerRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    async function load(customerId: string) {
      const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
      if (!row) throw errors.notFound('customer');
      const emails = await db
        .select({ email: customerEmails.email })
        .from(customerEmails)
        .where(eq(customerEmails.customerId, customerId))
        .orderBy(asc(customerEmails.email));
      return { row, emails: emails.map((e) => e.email) };
    }

    const present = (row: typeof customers.$inferSelect, emails: string[]) => ({
      id: row.id,
      brandId: row.brandId,
      name: row.name,
      email: row.email,
      emails,
      phone: row.phone,
      notes: row.notes,
      storeCreditBalance: row.storeCreditCents / 100,
      version: row.version,
      createdAt: row.createdAt.toISOString(),
    });

    app.get(
      '/brands/:brandId/customers',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['customers'],
          summary: 'Finds customers by name, email or phone',
          params: brandParams,
          querystring: z.strictObject({
            q: z.string().trim().max(200).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(25),
          }),
          response: { 200: z.object({ data: z.array(customerSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'tickets.work',
        );
        const q = request.query.q;
        const pattern = q ? `%${escapeLike(q)}%` : undefined;
        const rows = await db
          .select()
          .from(customers)
          .where(
            and(
              eq(customers.brandId, access.brand.id),
              pattern
                ? or(
                    ilike(customers.name, pattern),
                    ilike(customers.phone, pattern),
                    sql`exists (select 1 from customer_emails ce where ce.customer_id = ${customers.id} and ce.email ilike ${pattern})`,
                  )
                : undefined,
            ),
          )
          .orderBy(asc(customers.name))
          .limit(request.query.limit);
        const emails = rows.length
          ? await db
              .select()
              .from(customerEmails)
              .where(sql`${customerEmails.customerId} = any(${sql.param(rows.map((r) => r.id))}::uuid[])`)
          : [];
        return {
          data: rows.map((r) =>
            present(
              r,
              emails.filter((e) => e.customerId === r.id).map((e) => e.email),
            ),
          ),
        };
      },
    );

    app.post(
      '/brands/:brandId/customers',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['customers'],
          summary: 'Adds a customer (a phone caller with no email yet, for example)',
          params: brandParams,
          body: z.strictObject({
            name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
            email: email.optional(),
            phone: z.string().trim().min(1).max(50).optional(),
          }),
          response: { 201: z.object({ data: customerSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await requireBrand(db, ctx.actor, request.params.brandId, 'tickets.work');
        if (request.body.email) {
          const [known] = await db
            .select()
            .from(customerEmails)
            .where(
              and(
                eq(customerEmails.brandId, access.brand.id),
                eq(customerEmails.email, request.body.email.toLowerCase()),
              ),
            );
          if (known)
            throw errors.conflict(`email: a customer with ${request.body.email} already exists.`, {
              customerId: known.customerId,
            });
        }
        const customer = await db.transaction((tx) =>
          findOrCreateCustomer(tx, ctx, access.brand.id, request.body),
        );
        const { row, emails } = await load(customer.id);
        return reply.status(201).send({ data: present(row, emails) });
      },
    );

    app.get(
      '/customers/:customerId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['customers'],
          summary: 'A customer with their tickets and orders',
          params,
          response: { 200: z.object({ data: customerDetailSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const [found] = await db
          .select({ brandId: customers.brandId })
          .from(customers)
          .where(eq(customers.id, request.params.customerId));
        await requireBrandOf(db, contextOf(request).actor, found?.brandId, 'customer', 'tickets.work');
        const { row, emails } = await load(request.params.customerId);
        const ticketRows = await db
          .select()
          .from(tickets)
          .where(eq(tickets.customerId, row.id))
          .orderBy(desc(tickets.updatedAt))
          .limit(100);
        const orderRows = emails.length
          ? await db
              .select()
              .from(orders)
              .where(
                and(
                  eq(orders.brandId, row.brandId),
                  sql`lower(${orders.customerEmail}) = any(${sql.param(emails)}::text[])`,
                ),
              )
              .orderBy(desc(orders.placedAt))
              .limit(100)
          : [];
        return {
          data: {
            ...present(row, emails),
            tickets: ticketRows.map((t) => ({
              id: t.id,
              number: t.number,
              subject: t.subject,
              status: t.status,
              updatedAt: t.updatedAt.toISOString(),
            })),
            orders: orderRows.map((o) => ({
              id: o.id,
              number: o.number,
              placedAt: o.placedAt.toISOString(),
              channel: o.channel,
            })),
          },
        };
      },
    );

    app.patch(
      '/customers/:customerId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['customers'],
          summary: 'Changes a customer’s name, phone, notes or email addresses; a stale version gets 409',
          params,
          body: z.strictObject({
            version: z.int().min(1).optional(),
            name: z.string().trim().max(200).nullable().optional(),
            phone: z.string().trim().max(50).nullable().optional(),
            notes: z.string().max(10_000).nullable().optional(),
            email: email.nullable().optional().describe('The address replies go to; added to emails'),
            addEmails: z.array(email).max(20).optional(),
            removeEmails: z.array(email).max(20).optional(),
          }),
          response: { 200: z.object({ data: customerSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [found] = await db
          .select({ brandId: customers.brandId })
          .from(customers)
          .where(eq(customers.id, request.params.customerId));
        const access = await requireBrandOf(db, ctx.actor, found?.brandId, 'customer', 'tickets.work');
        const body = request.body;
        await db.transaction(async (tx) => {
          const [row] = await tx
            .select()
            .from(customers)
            .where(eq(customers.id, request.params.customerId))
            .for('update');
          if (body.version !== undefined && body.version !== row!.version) {
            throw errors.conflict(
              `The customer changed since you loaded them (version ${row!.version}); reload.`,
              {
                current: { version: row!.version },
              },
            );
          }
          const add = [...(body.addEmails ?? []), ...(body.email ? [body.email] : [])].map((e) =>
            e.toLowerCase(),
          );
          for (const address of add) {
            const [owner] = await tx
              .select()
              .from(customerEmails)
              .where(and(eq(customerEmails.brandId, access.brand.id), eq(customerEmails.email, address)));
            if (owner && owner.customerId !== row!.id)
              throw errors.field('addEmails', `${address} belongs to another customer`);
            if (!owner) {
              try {
                await tx
                  .insert(customerEmails)
                  .values({ brandId: access.brand.id, email: address, customerId: row!.id });
              } catch (error) {
                if (isUniqueViolation(error))
                  throw errors.field('addEmails', `${address} belongs to another customer`);
                throw error;
              }
            }
          }
          for (const address of body.removeEmails ?? []) {
            await tx
              .delete(customerEmails)
              .where(
                and(eq(customerEmails.customerId, row!.id), eq(customerEmails.email, address.toLowerCase())),
              );
          }
          const changes: Partial<typeof customers.$inferInsert> = {};
          if (body.name !== undefined) changes.name = body.name || null;
          if (body.phone !== undefined) changes.phone = body.phone || null;
          if (body.notes !== undefined) changes.notes = body.notes || null;
          if (body.email !== undefined) changes.email = body.email?.toLowerCase() ?? null;
          const removedPrimary = row!.email && body.removeEmails?.some((e) => e.toLowerCase() === row!.email);
          if (removedPrimary && body.email === undefined) changes.email = null;
          await tx
            .update(customers)
            .set({ ...changes, version: row!.version + 1, updatedAt: ctx.now })
            .where(eq(customers.id, row!.id));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'customer',
            entityId: row!.id,
            action: 'update',
            before: row,
            after: { ...changes, addEmails: add, removeEmails: body.removeEmails ?? [] },
          });
        });
        const { row, emails } = await load(request.params.customerId);
        return { data: present(row, emails) };
      },
    );
  };
