import type { Pack } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import { addShipment } from './commands/addShipment';
import { importOrder, type OrderInput } from './commands/importOrder';
import { ingestTrackingEvents } from './commands/ingestTrackingEvents';
import type { RequestContext } from './context';
import type { Queryable } from './db/client';
import { purchaseOrders } from './db/schema';
import { createTicket } from './tickets/commands';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type DemoTicket = {
  subject: string;
  body: string;
  customer: { name: string; email: string };
  channel?: string;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  tags?: string[];
  /** An order the ticket is about, created first. Times are relative to now. */
  order?: (now: Date) => OrderInput;
  shipments?: {
    po: string;
    carrier: string;
    trackingNumber: string;
    items: { sku: string; qty: number }[];
    events: {
      ago: number;
      status: 'label_created' | 'in_transit' | 'delivered' | 'exception';
      description?: string;
    }[];
  }[];
};

const iso = (now: Date, ago: number) => new Date(now.getTime() - ago).toISOString();

/** Demo cases per pack, written like the seeds' own cases, so the advice panel has work to show. */
const DEMO_TICKETS: Record<string, DemoTicket[]> = {
  'marketplace-dropship': [
    {
      subject: 'My laptop still has not arrived',
      body: 'Hi, I think my package got lost in the mail. Tracking has not changed in days and I need the laptop for work. Order A6001.',
      customer: { name: 'Dana Reyes', email: 'dana.reyes@example.net' },
      tags: ['lost'],
      order: (now) => ({
        number: 'A6001',
        channel: 'website',
        customer: { name: 'Dana Reyes', email: 'dana.reyes@example.net' },
        placedAt: iso(now, 9 * DAY),
        items: [{ sku: 'LT-15', name: '15in Laptop', qty: 1, unitPrice: 1049, category: 'electronics' }],
        purchaseOrders: [
          {
            number: 'PO-60010',
            vendor: 'Best Buy',
            status: 'Sent to Vendor',
            sentToVendorAt: iso(now, 9 * DAY - 3 * HOUR),
            items: [{ sku: 'LT-15', qty: 1 }],
          },
        ],
      }),
      shipments: [
        {
          po: 'PO-60010',
          carrier: 'UPS',
          trackingNumber: '1Z84A7W90377778888',
          items: [{ sku: 'LT-15', qty: 1 }],
          events: [
            { ago: 7 * DAY, status: 'label_created' },
            { ago: 2 * DAY, status: 'in_transit', description: 'Departed facility' },
          ],
        },
      ],
    },
    {
      subject: 'Please cancel my order',
      body: 'Please cancel my order A2231, I ordered the wrong TV by mistake.',
      customer: { name: 'Sam Okafor', email: 'sam.okafor@example.net' },
      order: (now) => ({
        number: 'A2231',
        channel: 'amazon',
        customer: { name: 'Sam Okafor', email: 'sam.okafor@example.net' },
        placedAt: iso(now, 1 * DAY),
        items: [{ sku: 'TV-55', name: '55in TV', qty: 1, unitPrice: 599, category: 'electronics' }],
        purchaseOrders: [
          {
            number: 'PO-22310',
            vendor: 'Amazon',
            status: 'Sent to Vendor',
            sentToVendorAt: iso(now, 20 * HOUR),
            vendorCancelOptionAvailable: true,
            items: [{ sku: 'TV-55', qty: 1 }],
          },
        ],
      }),
    },
  ],
};

const GENERIC: DemoTicket[] = [
  {
    subject: 'Where is my order?',
    body: 'Hello, I placed an order last week and have not heard anything since. Can you send me the tracking number?',
    customer: { name: 'Priya Natarajan', email: 'priya.n@example.net' },
  },
];

/** Creates the demo's orders and tickets for one brand. */
export async function seedDemoHelpdesk(
  tx: Queryable,
  ctx: RequestContext,
  brand: { id: string; slug: string },
  pack: Pack,
  mailDomain: string,
): Promise<number> {
  const cases = DEMO_TICKETS[pack.manifest.id] ?? GENERIC;
  for (const demo of cases) {
    if (demo.order) {
      // The same order number in another demo brand is fine: numbers are unique per brand.
      await importOrder(tx, ctx, brand.id, pack, demo.order(ctx.now));
    }
    for (const s of demo.shipments ?? []) {
      const [po] = await tx
        .select({ id: purchaseOrders.id })
        .from(purchaseOrders)
        .where(and(eq(purchaseOrders.brandId, brand.id), eq(purchaseOrders.number, s.po)));
      await addShipment(
        tx,
        { ...ctx, now: new Date(ctx.now.getTime() - s.events[0]!.ago) },
        brand.id,
        pack,
        po!.id,
        {
          carrier: s.carrier,
          trackingNumber: s.trackingNumber,
          items: s.items,
        },
      );
      await ingestTrackingEvents(
        tx,
        ctx,
        brand.id,
        s.events.map((e, i) => ({
          id: `demo-${brand.slug}-${s.trackingNumber}-${i}`,
          trackingNumber: s.trackingNumber,
          status: e.status,
          at: iso(ctx.now, e.ago),
          description: e.description,
        })),
      );
    }
    await createTicket(
      tx,
      { ...ctx, now: new Date(ctx.now.getTime() - HOUR) },
      { brandId: brand.id, pack, mailDomain },
      {
        channel: demo.channel ?? 'email',
        subject: demo.subject,
        customer: demo.customer,
        priority: demo.priority,
        tags: demo.tags,
        message: {
          body: demo.body,
          authorType: 'customer',
          fromName: demo.customer.name,
          fromAddress: demo.customer.email,
          // As if it came by mail, so a reply threads on it in the customer's mail client.
          emailMessageId: `<demo-${cases.indexOf(demo)}-${brand.slug}@mail.example.net>`,
        },
      },
    );
  }
  return cases.length;
}
