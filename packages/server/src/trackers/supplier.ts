import { and, desc, eq, inArray } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import {
  membershipCompanies,
  memberships,
  messages,
  orders,
  poItems,
  purchaseOrders,
  sideConversations,
  vendors,
} from '../db/schema';
import { errors } from '../errors';
import { insertMessage, lockTicket } from '../tickets/commands';
import { recordEvent } from '../tickets/events';
import type { TrackerAccess } from './access';
import { vendorByName } from './access';

/**
 * The supplier portal: what a supplier's staff see of a brand (the POs assigned to their company
 * and the side conversations the brand opened with it) and how they answer.
 */

/** Refuses callers who do not work for a supplier company. */
export function requireCompany(access: TrackerAccess): string {
  if (!access.company)
    throw errors.forbidden('This list is for supplier accounts; the brand’s own people see orders.');
  return access.company;
}

/** The POs assigned to the caller's company, newest first, with their items. */
export async function supplierPurchaseOrders(db: Queryable, access: TrackerAccess) {
  const company = requireCompany(access);
  const rows = await db
    .select({ po: purchaseOrders, orderNumber: orders.number, vendor: vendors.name })
    .from(purchaseOrders)
    .innerJoin(orders, eq(orders.id, purchaseOrders.orderId))
    .innerJoin(vendors, eq(vendors.id, purchaseOrders.vendorId))
    .where(and(eq(purchaseOrders.brandId, access.brand.id), eq(purchaseOrders.vendorId, company)))
    .orderBy(desc(purchaseOrders.createdAt))
    .limit(500);
  const items = rows.length
    ? await db
        .select()
        .from(poItems)
        .where(
          inArray(
            poItems.poId,
            rows.map((r) => r.po.id),
          ),
        )
    : [];
  return rows.map(({ po, orderNumber, vendor }) => ({
    id: po.id,
    number: po.number,
    orderNumber,
    vendor,
    status: po.status,
    createdAt: po.createdAt.toISOString(),
    items: items
      .filter((i) => i.poId === po.id)
      .map((i) => ({ sku: i.sku, qty: i.qty, shippedQty: i.shippedQty, outOfStock: i.outOfStock })),
  }));
}

/** A side conversation as its supplier sees it: the replies, never the brand's internal notes. */
async function presentForSupplier(db: Queryable, side: typeof sideConversations.$inferSelect) {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.sideConversationId, side.id), eq(messages.kind, 'reply')))
    .orderBy(messages.createdAt, messages.seq);
  return {
    id: side.id,
    subject: side.subject,
    status: side.status,
    updatedAt: side.updatedAt.toISOString(),
    messages: rows.map((m) => ({
      id: m.id,
      from: (m.authorType === 'supplier' || m.authorType === 'vendor' ? 'supplier' : 'brand') as
        | 'supplier'
        | 'brand',
      name: m.fromName,
      body: m.bodyText,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}

export async function supplierSideConversations(db: Queryable, access: TrackerAccess) {
  const company = requireCompany(access);
  const rows = await db
    .select()
    .from(sideConversations)
    .where(and(eq(sideConversations.brandId, access.brand.id), eq(sideConversations.vendorId, company)))
    .orderBy(desc(sideConversations.updatedAt))
    .limit(200);
  return Promise.all(rows.map((s) => presentForSupplier(db, s)));
}

async function sideOfCompany(tx: Queryable, access: TrackerAccess, id: string) {
  const company = access.company;
  const [side] = await tx
    .select()
    .from(sideConversations)
    .where(and(eq(sideConversations.id, id), eq(sideConversations.brandId, access.brand.id)));
  if (!side || !company || side.vendorId !== company) throw errors.notFound('side conversation');
  return side;
}

export async function supplierSideConversation(db: Queryable, access: TrackerAccess, id: string) {
  return presentForSupplier(db, await sideOfCompany(db, access, id));
}

/** The supplier's answer in a side conversation: it lands on the ticket and opens the thread again. */
export async function answerSideConversation(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  id: string,
  body: string,
) {
  const side = await sideOfCompany(tx, access, id);
  const ticket = await lockTicket(tx, access.brand.id, side.ticketId);
  const actor = ctx.actor;
  const message = await insertMessage(tx, ctx, ticket, {
    kind: 'reply',
    body,
    authorType: 'supplier',
    authorUserId: actor.kind === 'user' ? actor.userId : null,
    fromName: actor.kind === 'user' ? actor.name : null,
    fromAddress: actor.kind === 'user' ? actor.email : null,
    sideConversationId: side.id,
  });
  const [saved] = await tx
    .update(sideConversations)
    .set({ status: 'open', updatedAt: ctx.now })
    .where(eq(sideConversations.id, side.id))
    .returning();
  await recordEvent(tx, ctx, ticket, 'side_conversation_reply', {
    sideConversationId: side.id,
    messageId: message.id,
    via: 'portal',
  });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'message',
    entityId: message.id,
    action: 'receive',
    after: { ticketId: ticket.id, sideConversationId: side.id, via: 'portal' },
  });
  return presentForSupplier(tx, saved!);
}

/** Binds a member with an external role to the supplier company (a vendor of the brand) they work for. */
export async function bindCompany(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  membershipId: string,
  vendorName: string | null,
) {
  const [membership] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.brandId, access.brand.id)));
  if (!membership) throw errors.notFound('member');
  const [before] = await tx
    .select({ vendorId: membershipCompanies.vendorId })
    .from(membershipCompanies)
    .where(eq(membershipCompanies.membershipId, membershipId));
  let vendorId: string | null = null;
  if (vendorName !== null) {
    const vendor = await vendorByName(tx, access.brand.id, vendorName);
    if (!vendor) throw errors.field('vendor', `no vendor named "${vendorName}" in ${access.brand.name}`);
    vendorId = vendor.id;
    await tx
      .insert(membershipCompanies)
      .values({ membershipId, brandId: access.brand.id, vendorId, createdAt: ctx.now })
      .onConflictDoUpdate({ target: membershipCompanies.membershipId, set: { vendorId } });
  } else {
    await tx.delete(membershipCompanies).where(eq(membershipCompanies.membershipId, membershipId));
  }
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'membership',
    entityId: membershipId,
    action: 'set_company',
    before: { vendorId: before?.vendorId ?? null },
    after: { vendorId, vendor: vendorName },
  });
  return { membershipId, vendor: vendorName };
}
