/**
 * The shapes the Casebook API returns, as the web app uses them. They mirror the zod schemas in
 * packages/server/src/routes/schemas.ts; keep the two in step.
 */

export type User = {
  id: string;
  email: string;
  name: string;
  isOrgAdmin: boolean;
  disabled: boolean;
  createdAt: string;
};

/** A brand the signed-in person belongs to, with their role there and the capabilities it holds. */
export type Brand = {
  id: string;
  slug: string;
  name: string;
  packId: string;
  packVersion: string;
  /** `external`: a supplier's staff, who may use the supplier portal only. */
  role: { name: string; title: string; external?: boolean };
  allowed: string[];
};

/** What login and GET /auth/session return. */
export type Session = {
  user: User;
  csrfToken: string;
  organization: { allowed: string[] };
  brands: Brand[];
};

export type Member = {
  id: string;
  user: { id: string; email: string; name: string; disabled: boolean };
  role: { name: string; title: string };
  createdAt: string;
  allowed: string[];
};

export type Role = {
  id: string;
  name: string;
  title: string;
  description: string | null;
  capabilities: string[];
  external: boolean;
  source: 'pack' | 'custom';
  allowed: string[];
};

export type ApiToken = {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  allowed: string[];
};

export type AuditEntry = {
  id: number;
  brandId: string | null;
  actor: { type: string; id: string | null; label: string };
  entityType: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  at: string;
};

export type AuditPage = { data: AuditEntry[]; nextBefore: number | null };

export type CapabilityInfo = { name: string; description: string };

export type Pack = { id: string; name: string; version: string; description: string; source: string };

/*
 * Orders, as GET /orders/:orderId and the purchase-order writes return them (the zod schemas in
 * packages/server/src/routes/orders.ts).
 */

/** A row of the brand's order list. */
export type OrderSummary = {
  id: string;
  number: string;
  channel: string;
  placedAt: string;
  customerEmail: string | null;
};

/** The problems an import can flag on a shipping address. */
export type AddressProblem = 'incorrect' | 'incomplete' | 'po_box';

/** The shipping address as imported; the API passes it through, so every part may be missing. */
export type ShippingAddress = {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  problems?: AddressProblem[];
};

export type OrderItem = {
  sku: string;
  name: string;
  qty: number;
  unitPrice: number;
  category: string | null;
};

export type PoItem = { sku: string; qty: number; shippedQty: number; outOfStock: boolean; canceled: boolean };

export type TrackingEvent = { at: string; status: string; description: string | null };

export type Shipment = { carrier: string | null; trackingNumber: string; events: TrackingEvent[] };

export type PoStatusChange = {
  from: string | null;
  to: string;
  by: string;
  reason: string | null;
  at: string;
};

/** A status the PO could move to, whether the caller may set it now, and the pack's reasons if not. */
export type NextStatus = { status: string; allowed: boolean; reasons: string[] };

export type PurchaseOrder = {
  id: string;
  number: string;
  vendor: string;
  status: string;
  refunded: boolean;
  version: number;
  items: PoItem[];
  shipments: Shipment[];
  history: PoStatusChange[];
  nextStatuses: NextStatus[];
};

export type Order = {
  id: string;
  brandId: string;
  number: string;
  externalId: string | null;
  channel: string;
  customer: { name: string | null; email: string | null };
  placedAt: string;
  shippingAddress: ShippingAddress | null;
  shippingCost: number;
  currency: string;
  items: OrderItem[];
  purchaseOrders: PurchaseOrder[];
};
