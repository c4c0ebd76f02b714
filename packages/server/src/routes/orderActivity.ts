import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import { auditLog, orders, ticketOrders, tickets } from '../db/schema';
import { can, requireBrandOf } from '../policies';
import { presentAuditEntry } from '../presenters';
import { auditEntrySchema, errorResponses, uuidParam } from './schemas';

const activitySchema = z.object({
  tickets: z
    .array(
      z.object({
        id: z.uuid(),
        number: z.number(),
        subject: z.string(),
        status: z.string(),
        linkedBy: z.enum(['auto', 'user']),
        createdAt: z.string(),
      }),
    )
    .nullable()
    .describe('The tickets linked to the order; null when the caller does not work tickets'),
  audit: z
    .array(auditEntrySchema)
    .nullable()
    .describe(
      'Every change to the order, its POs, shipments, refunds, reshipments and warranty plans, newest first (up to 200); null without audit.read',
    ),
});

/** What an order page shows beside the order itself: the tickets about it and its audit trail. */
export const orderActivityRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/orders/:orderId/activity',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary: "An order's linked tickets and the audit trail of the order and everything on it",
          params: z.strictObject({ orderId: uuidParam('orderId') }),
          response: { 200: z.object({ data: activitySchema }), ...errorResponses },
        },
      },
      async (request) => {
        const { actor } = contextOf(request);
        const orderId = request.params.orderId;
        const [row] = await db.select({ brandId: orders.brandId }).from(orders).where(eq(orders.id, orderId));
        const access = await requireBrandOf(db, actor, row?.brandId, 'order');
        const brandId = access.brand.id;
        const [linked, entries] = await Promise.all([
          can(access, 'tickets.work')
            ? db
                .select({
                  id: tickets.id,
                  number: tickets.number,
                  subject: tickets.subject,
                  status: tickets.status,
                  linkedBy: ticketOrders.linkedBy,
                  createdAt: tickets.createdAt,
                })
                .from(ticketOrders)
                .innerJoin(tickets, eq(tickets.id, ticketOrders.ticketId))
                .where(and(eq(ticketOrders.orderId, orderId), eq(tickets.brandId, brandId)))
                .orderBy(asc(tickets.createdAt))
            : null,
          can(access, 'audit.read')
            ? db
                .select()
                .from(auditLog)
                .where(
                  and(
                    eq(auditLog.brandId, brandId),
                    sql`(
                      (${auditLog.entityType} = 'order' and ${auditLog.entityId} = ${orderId})
                      or (${auditLog.entityType} = 'purchase_order' and ${auditLog.entityId} in
                        (select id::text from purchase_orders where order_id = ${orderId}))
                      or (${auditLog.entityType} = 'shipment' and ${auditLog.entityId} in
                        (select s.id::text from shipments s join purchase_orders p on p.id = s.po_id where p.order_id = ${orderId}))
                      or (${auditLog.entityType} = 'refund' and ${auditLog.entityId} in
                        (select id::text from refunds where order_id = ${orderId}))
                      or (${auditLog.entityType} = 'reshipment' and ${auditLog.entityId} in
                        (select id::text from reshipments where order_id = ${orderId}))
                      or (${auditLog.entityType} = 'warranty_plan' and ${auditLog.entityId} in
                        (select id::text from warranty_plans where order_id = ${orderId}))
                      or (${auditLog.entityType} = 'warranty_claim' and ${auditLog.entityId} in
                        (select c.id::text from warranty_claims c join warranty_plans w on w.id = c.plan_id where w.order_id = ${orderId}))
                    )`,
                  ),
                )
                .orderBy(sql`${auditLog.id} desc`)
                .limit(200)
            : null,
        ]);
        return {
          data: {
            tickets: linked?.map((t) => ({ ...t, createdAt: t.createdAt.toISOString() })) ?? null,
            audit: entries?.map(presentAuditEntry) ?? null,
          },
        };
      },
    );
  };
