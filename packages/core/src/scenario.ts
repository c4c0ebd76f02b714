import { z } from 'zod';

/**
 * The scenario format of the advice contract (shared/contracts/advice.md): the facts of one case,
 * the clock and the actor. Validated strictly so a typo in a scenario file is reported, not ignored.
 */

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

export const PO_STATUSES = [
  'Processing',
  'Sent to Vendor',
  'On-Hold',
  'Shipped',
  'Delivered',
  'Canceled',
  'Returned',
] as const;

export const TRACKING_STATUSES = [
  'label_created',
  'pre_shipment',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
] as const;

export const CHANNELS = ['email', 'chat', 'phone', 'social', 'marketplace', 'web_form', 'review'] as const;
export const SENDERS = ['customer', 'vendor', 'supplier', 'courier', 'warehouse', 'staff'] as const;

const shipmentSchema = z.strictObject({
  carrier: z.string().optional(),
  trackingNumber: z.string(),
  returnedToSender: z
    .strictObject({ reason: z.enum(['customer_error', 'carrier_error', 'vendor_error', 'unknown']) })
    .optional(),
  events: z.array(
    z.strictObject({ at: instant, status: z.enum(TRACKING_STATUSES), description: z.string().optional() }),
  ),
});

export const purchaseOrderSchema = z.strictObject({
  id: z.string(),
  vendor: z.string(),
  status: z.enum(PO_STATUSES),
  refunded: z.boolean().optional(),
  sentToVendorAt: instant.optional(),
  vendorCancelOptionAvailable: z.boolean().optional(),
  freight: z.boolean().optional(),
  items: z.array(
    z.strictObject({
      sku: z.string(),
      qty: z.number(),
      shippedQty: z.number().optional(),
      outOfStock: z.boolean().optional(),
      canceled: z.boolean().optional(),
    }),
  ),
  shipments: z.array(shipmentSchema),
});

export const orderSchema = z.strictObject({
  id: z.string(),
  placedAt: instant,
  channel: z.string().optional(),
  shippingAddress: z
    .strictObject({
      line1: z.string(),
      line2: z.string().optional(),
      city: z.string(),
      region: z.string().optional(),
      postalCode: z.string(),
      country: z.string(),
      problems: z.array(z.enum(['incorrect', 'incomplete', 'po_box'])).optional(),
    })
    .optional(),
  shippingCost: z.number().optional(),
  items: z.array(
    z.strictObject({
      sku: z.string(),
      name: z.string(),
      qty: z.number(),
      unitPrice: z.number(),
      category: z.string().optional(),
      hasSerialNumber: z.boolean().optional(),
      hasModelNumber: z.boolean().optional(),
      hasPartNumber: z.boolean().optional(),
    }),
  ),
  purchaseOrders: z.array(purchaseOrderSchema),
});

export const tradeInSchema = z.strictObject({
  vNumber: z.string(),
  sNumber: z.string(),
  product: z.string(),
  condition: z.enum(['new', 'like_new', 'good', 'fair', 'broken']),
  state: z.enum(['received', 'on_hold', 'awaiting_response', 'proof_received', 'approved', 'rejected']),
  emailSentAt: instant.optional(),
  reminderSentAt: instant.optional(),
});

const matcherSchema = z.object({ type: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean()]));

export const expectSchema = z.strictObject({
  intent: z.string().optional(),
  actions: z.array(matcherSchema).optional(),
  absent: z.array(matcherSchema).optional(),
  first: matcherSchema.optional(),
  blocked: z.array(matcherSchema).optional(),
});

export const scenarioSchema = z.strictObject({
  id: z.string().min(1),
  pack: z.string().min(1),
  now: instant,
  actor: z.strictObject({ role: z.string() }).optional(),
  intent: z.string().optional(),
  message: z
    .strictObject({
      channel: z.enum(CHANNELS),
      from: z.enum(SENDERS),
      subject: z.string().optional(),
      body: z.string(),
      receivedAt: instant.optional(),
      marketplace: z.string().optional(),
    })
    .optional(),
  customer: z
    .strictObject({
      id: z.string().optional(),
      name: z.string().optional(),
      email: z.string().optional(),
      storeCreditBalance: z.number().optional(),
    })
    .optional(),
  order: orderSchema.optional(),
  tradeIn: tradeInSchema.optional(),
  warranty: z
    .strictObject({
      plan: z.string(),
      purchasedAt: instant.optional(),
      claimReason: z.enum(['defect', 'loss', 'theft', 'accidental_damage']).optional(),
    })
    .optional(),
  refund: z
    .strictObject({
      kind: z.enum(['refund', 'store_credit']),
      expected: z.enum(['refund', 'store_credit']).optional(),
      mrr: z.enum(['none', 'filed', 'processed']).optional(),
    })
    .optional(),
  expect: expectSchema.optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type Order = z.infer<typeof orderSchema>;
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;
export type Expect = z.infer<typeof expectSchema>;
export type Matcher = z.infer<typeof matcherSchema>;
