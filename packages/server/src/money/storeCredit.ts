import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { audit } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { customerEmails, customers, orders, storeCreditEntries, storeCreditFreezes } from '../db/schema';
import { AppError, errors } from '../errors';
import { checkTicket, major, overLimit } from './shared';

/**
 * Store credit per customer. The balance is `customers.store_credit_cents`; every change is a
 * ledger entry (issued, used, removed) with the balance after it, written with its audit entry in
 * the caller's transaction. While a store credit removal is open the credit is frozen: none of it
 * (old balance included) can be used until the freeze is released.
 *
 * The approval flow for "store credit removal" calls `freezeStoreCredit` when the request is
 * filed, `removeStoreCredit` once it is approved and carried out, and `unfreezeStoreCredit` when
 * it is denied or done. These functions do not check capabilities: the caller has.
 */

export type StoreCreditChange = {
  brandId: string;
  customerId: string;
  /** Minor units, more than 0. */
  amount: number;
  reason: string;
  orderId?: string | undefined;
  ticketId?: string | undefined;
  /** The approval the change carries out, when there is one. */
  approvalId?: string | undefined;
};

export type StoreCreditFreezeInput = {
  brandId: string;
  customerId: string;
  reason: string;
  approvalId?: string | undefined;
  ticketId?: string | undefined;
};

export type StoreCreditEntry = typeof storeCreditEntries.$inferSelect;
export type StoreCreditFreeze = typeof storeCreditFreezes.$inferSelect;

async function lockCustomer(tx: Queryable, brandId: string, customerId: string) {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.brandId, brandId)))
    .for('update');
  if (!row) throw errors.notFound('customer');
  return row;
}

async function openFreeze(tx: Queryable, customerId: string): Promise<StoreCreditFreeze | undefined> {
  const [row] = await tx
    .select()
    .from(storeCreditFreezes)
    .where(and(eq(storeCreditFreezes.customerId, customerId), isNull(storeCreditFreezes.releasedAt)));
  return row;
}

async function change(
  tx: Queryable,
  ctx: RequestContext,
  kind: StoreCreditEntry['kind'],
  input: StoreCreditChange,
): Promise<StoreCreditEntry> {
  if (!Number.isInteger(input.amount) || input.amount <= 0)
    throw errors.field('amount', 'must be a whole number of minor units above 0');
  const customer = await lockCustomer(tx, input.brandId, input.customerId);
  await checkTicket(tx, input.brandId, input.ticketId);
  if (input.orderId) {
    const [order] = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.id, input.orderId), eq(orders.brandId, input.brandId)));
    if (!order) throw errors.field('orderId', 'is not an order of this brand');
  }
  if (kind === 'used') {
    const freeze = await openFreeze(tx, customer.id);
    if (freeze) {
      throw new AppError(
        'guardrail_violation',
        `The customer's store credit is frozen while a store credit removal is open (since ${freeze.frozenAt.toISOString().slice(0, 10)}): none of it can be used until the removal is done.`,
        { rule: 'store_credit.frozen', freezeId: freeze.id },
      );
    }
  }
  const balance = customer.storeCreditCents;
  if (kind !== 'issued' && input.amount > balance) {
    throw overLimit(
      'amount',
      `${major(input.amount)} is more than the customer's store credit balance of ${major(balance)}`,
      balance,
      'store_credit.balance',
    );
  }
  const after = kind === 'issued' ? balance + input.amount : balance - input.amount;
  await tx
    .update(customers)
    .set({ storeCreditCents: after, updatedAt: ctx.now })
    .where(eq(customers.id, customer.id));
  const [entry] = await tx
    .insert(storeCreditEntries)
    .values({
      brandId: input.brandId,
      customerId: customer.id,
      kind,
      amountCents: input.amount,
      balanceAfterCents: after,
      orderId: input.orderId ?? null,
      ticketId: input.ticketId ?? null,
      approvalId: input.approvalId ?? null,
      reason: input.reason,
      createdBy: actorLabel(ctx.actor),
      createdAt: ctx.now,
    })
    .returning();
  await audit(tx, ctx, {
    brandId: input.brandId,
    entityType: 'customer',
    entityId: customer.id,
    action: `store_credit.${kind === 'issued' ? 'issue' : kind === 'used' ? 'use' : 'remove'}`,
    before: { storeCreditCents: balance },
    after: {
      storeCreditCents: after,
      entryId: entry!.id,
      amountCents: input.amount,
      reason: input.reason,
      orderId: entry!.orderId,
      ticketId: entry!.ticketId,
      approvalId: entry!.approvalId,
    },
  });
  return entry!;
}

/** Adds store credit to a customer's balance. */
export function issueStoreCredit(tx: Queryable, ctx: RequestContext, input: StoreCreditChange) {
  return change(tx, ctx, 'issued', input);
}

/** Spends store credit (e.g. on an order); refused while the credit is frozen or above the balance. */
export function useStoreCredit(tx: Queryable, ctx: RequestContext, input: StoreCreditChange) {
  return change(tx, ctx, 'used', input);
}

/**
 * Takes store credit off a customer's balance, as an approved store credit removal does. Allowed
 * while frozen (the removal is what the freeze waits for); never more than the balance (422).
 */
export function removeStoreCredit(tx: Queryable, ctx: RequestContext, input: StoreCreditChange) {
  return change(tx, ctx, 'removed', input);
}

/**
 * Freezes a customer's store credit while a removal request is open. Freezing again for the same
 * approval returns the open freeze; a freeze for another approval while one is open is a conflict.
 */
export async function freezeStoreCredit(
  tx: Queryable,
  ctx: RequestContext,
  input: StoreCreditFreezeInput,
): Promise<StoreCreditFreeze> {
  const customer = await lockCustomer(tx, input.brandId, input.customerId);
  await checkTicket(tx, input.brandId, input.ticketId);
  const open = await openFreeze(tx, customer.id);
  if (open) {
    if (open.approvalId === (input.approvalId ?? null)) return open;
    throw errors.conflict("The customer's store credit is already frozen for another removal request.", {
      freezeId: open.id,
      approvalId: open.approvalId,
    });
  }
  const [freeze] = await tx
    .insert(storeCreditFreezes)
    .values({
      brandId: input.brandId,
      customerId: customer.id,
      approvalId: input.approvalId ?? null,
      ticketId: input.ticketId ?? null,
      reason: input.reason,
      frozenBy: actorLabel(ctx.actor),
      frozenAt: ctx.now,
    })
    .returning();
  await audit(tx, ctx, {
    brandId: input.brandId,
    entityType: 'customer',
    entityId: customer.id,
    action: 'store_credit.freeze',
    after: {
      freezeId: freeze!.id,
      approvalId: freeze!.approvalId,
      reason: input.reason,
      balanceCents: customer.storeCreditCents,
    },
  });
  return freeze!;
}

/**
 * Releases the open freeze of a customer's store credit (the removal was denied or is done).
 * Returns null when nothing was frozen. With `approvalId`, only that approval's freeze is released.
 */
export async function unfreezeStoreCredit(
  tx: Queryable,
  ctx: RequestContext,
  input: StoreCreditFreezeInput,
): Promise<StoreCreditFreeze | null> {
  const customer = await lockCustomer(tx, input.brandId, input.customerId);
  const open = await openFreeze(tx, customer.id);
  if (!open) return null;
  if (input.approvalId !== undefined && open.approvalId !== input.approvalId) {
    throw errors.conflict("The customer's store credit is frozen for another removal request.", {
      freezeId: open.id,
      approvalId: open.approvalId,
    });
  }
  const [released] = await tx
    .update(storeCreditFreezes)
    .set({ releasedAt: ctx.now, releasedBy: actorLabel(ctx.actor), releaseReason: input.reason })
    .where(eq(storeCreditFreezes.id, open.id))
    .returning();
  await audit(tx, ctx, {
    brandId: input.brandId,
    entityType: 'customer',
    entityId: customer.id,
    action: 'store_credit.unfreeze',
    before: { freezeId: open.id, frozenAt: open.frozenAt.toISOString() },
    after: { approvalId: open.approvalId, reason: input.reason },
  });
  return released!;
}

/** A customer's store credit: balance, the open freeze if any, and the ledger (newest first). */
export async function storeCreditAccount(db: Queryable, brandId: string, customerId: string, limit = 100) {
  const [customer] = await db
    .select({ id: customers.id, balance: customers.storeCreditCents })
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.brandId, brandId)));
  if (!customer) throw errors.notFound('customer');
  const [freeze, entries] = await Promise.all([
    openFreeze(db, customerId),
    db
      .select()
      .from(storeCreditEntries)
      .where(eq(storeCreditEntries.customerId, customerId))
      .orderBy(desc(storeCreditEntries.seq))
      .limit(limit),
  ]);
  const totals = { issued: 0, used: 0, removed: 0 };
  const all = await db
    .select({ kind: storeCreditEntries.kind, amount: storeCreditEntries.amountCents })
    .from(storeCreditEntries)
    .where(eq(storeCreditEntries.customerId, customerId));
  for (const e of all) totals[e.kind] += e.amount;
  return { balance: customer.balance, freeze: freeze ?? null, totals, entries };
}

/**
 * The customer an order belongs to: the helpdesk customer known by the order's email in its brand,
 * or null (an order without an email, or an email no customer has yet).
 */
export async function findOrderCustomer(
  db: Queryable,
  brandId: string,
  orderId: string,
): Promise<{ id: string; name: string | null } | null> {
  const [row] = await db
    .select({ id: customers.id, name: customers.name })
    .from(orders)
    .innerJoin(
      customerEmails,
      and(
        eq(customerEmails.brandId, orders.brandId),
        eq(customerEmails.email, sql`lower(${orders.customerEmail})`),
      ),
    )
    .innerJoin(customers, eq(customers.id, customerEmails.customerId))
    .where(and(eq(orders.id, orderId), eq(orders.brandId, brandId)));
  return row ?? null;
}
