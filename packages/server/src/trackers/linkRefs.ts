import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { orders, purchaseOrders, tickets, trackerRecords } from '../db/schema';
import { errors } from '../errors';
import type { LinkKind } from './commands';

const LABELS: Record<LinkKind, string> = {
  ticket: 'ticket',
  order: 'order',
  po: 'purchase order',
  record: 'record',
};

/**
 * The id of what a person names by its number when linking a record: an order or PO number (as
 * the store and supplier write them), a ticket or record number (`#` optional). Only the brand's
 * own; anything else is a problem on `number`. Who may link to it is still `linkRecord`'s check.
 */
export async function linkTargetByNumber(
  db: Queryable,
  brandId: string,
  kind: LinkKind,
  number: string,
): Promise<string> {
  const text = number.trim().replace(/^#/, '');
  const missing = () => errors.field('number', `no ${LABELS[kind]} ${text} in this brand`);
  let rows: { id: string }[];
  if (kind === 'order') {
    rows = await db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.brandId, brandId), sql`upper(${orders.number}) = upper(${text})`))
      .limit(1);
  } else if (kind === 'po') {
    rows = await db
      .select({ id: purchaseOrders.id })
      .from(purchaseOrders)
      .where(and(eq(purchaseOrders.brandId, brandId), eq(purchaseOrders.number, text)))
      .limit(1);
  } else {
    if (!/^\d{1,15}$/.test(text))
      throw errors.field('number', `must be a ${LABELS[kind]} number such as 1042`);
    const table = kind === 'ticket' ? tickets : trackerRecords;
    rows = await db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.brandId, brandId), eq(table.number, Number(text))))
      .limit(1);
  }
  if (!rows[0]) throw missing();
  return rows[0].id;
}
