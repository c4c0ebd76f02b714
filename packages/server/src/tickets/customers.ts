import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type AuditEntry, audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { prepared } from '../db/prepared';
import { customerEmails, customers } from '../db/schema';
import { rowsOf } from './commands';

export type CustomerRow = typeof customers.$inferSelect;

export type CustomerInput = {
  email?: string | undefined;
  name?: string | undefined;
  phone?: string | undefined;
};

/** The customer known by this address in the brand, if any. */
export async function customerByEmail(
  tx: Queryable,
  brandId: string,
  email: string,
): Promise<CustomerRow | undefined> {
  const [row] = await prepared(tx, 'customer_by_email', () =>
    tx
      .select({ customer: customers })
      .from(customerEmails)
      .innerJoin(customers, eq(customers.id, customerEmails.customerId))
      .where(
        and(
          eq(customerEmails.brandId, sql.placeholder('brandId')),
          eq(customerEmails.email, sql.placeholder('email')),
        ),
      ),
  ).execute({ brandId, email: email.toLowerCase() });
  return row?.customer;
}

/** A new customer's row, as `findOrCreateCustomer` and the statement that opens a ticket write it. */
export function newCustomerRow(ctx: RequestContext, brandId: string, input: CustomerInput): CustomerRow {
  return {
    id: randomUUID(),
    brandId,
    name: input.name?.trim() || null,
    email: input.email?.trim().toLowerCase() || null,
    phone: input.phone?.trim() || null,
    notes: null,
    storeCreditCents: 0,
    version: 1,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

/** The audit entry of a new customer. */
export function customerCreated(customer: CustomerRow): AuditEntry {
  return {
    brandId: customer.brandId,
    entityType: 'customer',
    entityId: customer.id,
    action: 'create',
    after: customer,
  };
}

/**
 * The customer a message comes from: found by email address, or created. Two messages from a new
 * address at the same moment create one customer (the address is unique per brand). With
 * `pendingAudit`, the audit entry of a new customer is added there for the caller to write with
 * its own change, instead of being written here.
 */
export async function findOrCreateCustomer(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  input: CustomerInput,
  options: {
    pendingAudit?: AuditEntry[];
    /** The customer of `input.email` when the caller looked it up already (null: nobody). */
    known?: CustomerRow | null;
  } = {},
): Promise<CustomerRow> {
  const email = input.email?.trim().toLowerCase();
  if (email) {
    const known = options.known !== undefined ? options.known : await customerByEmail(tx, brandId, email);
    if (known) {
      if (!known.name && input.name) {
        await tx
          .update(customers)
          .set({ name: input.name, updatedAt: ctx.now, version: sql`${customers.version} + 1` })
          .where(eq(customers.id, known.id));
        return { ...known, name: input.name };
      }
      return known;
    }
  }
  const customer = newCustomerRow(ctx, brandId, input);
  const insert = tx.insert(customers).values(customer).returning();
  if (email) {
    // The customer and its address in one statement; the address may have been claimed a moment
    // ago by another transaction, which then wins.
    const [row] = rowsOf<{ id: string; claimed: boolean }>(
      await tx.execute(sql`
        with c as ${insert},
        e as (insert into ${customerEmails} (brand_id, email, customer_id) select ${brandId}::uuid, ${email}, id from c
              on conflict do nothing returning customer_id)
        select id, exists (select 1 from e) as claimed from c`),
    );
    if (!row!.claimed) {
      await tx.delete(customers).where(eq(customers.id, row!.id));
      return (await customerByEmail(tx, brandId, email))!;
    }
  } else {
    await insert;
  }
  const entry = customerCreated(customer);
  if (options.pendingAudit) options.pendingAudit.push(entry);
  else await audit(tx, ctx, entry);
  return customer;
}
