import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { customerEmails, customers } from '../db/schema';

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
  const [row] = await tx
    .select({ customer: customers })
    .from(customerEmails)
    .innerJoin(customers, eq(customers.id, customerEmails.customerId))
    .where(and(eq(customerEmails.brandId, brandId), eq(customerEmails.email, email.toLowerCase())));
  return row?.customer;
}

/**
 * The customer a message comes from: found by email address, or created. Two messages from a new
 * address at the same moment create one customer (the address is unique per brand).
 */
export async function findOrCreateCustomer(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  input: CustomerInput,
): Promise<CustomerRow> {
  const email = input.email?.trim().toLowerCase();
  if (email) {
    const known = await customerByEmail(tx, brandId, email);
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
  const [customer] = (await tx
    .insert(customers)
    .values({
      brandId,
      name: input.name?.trim() || null,
      email: email ?? null,
      phone: input.phone?.trim() || null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning()) as [CustomerRow];
  if (email) {
    const claimed = await tx
      .insert(customerEmails)
      .values({ brandId, email, customerId: customer.id })
      .onConflictDoNothing()
      .returning();
    if (claimed.length === 0) {
      // Another transaction registered the address first: use its customer.
      await tx.delete(customers).where(eq(customers.id, customer.id));
      return (await customerByEmail(tx, brandId, email))!;
    }
  }
  await audit(tx, ctx, {
    brandId,
    entityType: 'customer',
    entityId: customer.id,
    action: 'create',
    after: customer,
  });
  return customer;
}
