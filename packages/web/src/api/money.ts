import { api } from './client';

/**
 * The money side of an order (refunds, reshipments, the customer's store credit) and warranty
 * plans with their claims. Amounts are in minor units (cents) of the order's currency.
 */

export type RefundKind = 'full' | 'item_cost' | 'shipping_only';

export type OrderMoney = {
  orderId: string;
  currency: string;
  state: 'paid' | 'partially_refunded' | 'refunded';
  totals: {
    items: number;
    shipping: number;
    refundedItems: number;
    refundedShipping: number;
    refundable: Record<RefundKind, number>;
  };
  items: { sku: string; name: string; total: number; refunded: number }[];
  refunds: {
    id: string;
    kind: RefundKind;
    amount: number;
    itemAmount: number;
    shippingAmount: number;
    currency: string;
    items: { sku: string; amount: number }[];
    reason: string;
    ticketId: string | null;
    createdBy: string;
    createdAt: string;
  }[];
  reshipments: {
    id: string;
    reason: string;
    po: { id: string; number: string; status: string; vendor: string; items: { sku: string; qty: number }[] };
    originalPoNumber: string | null;
    ticketId: string | null;
    createdBy: string;
    createdAt: string;
  }[];
  customer: { id: string; name: string | null; storeCredit: number; frozen: boolean } | null;
  allowed: ('refund' | 'reship' | 'store_credit')[];
};

export type RefundInput = {
  kind: RefundKind;
  amount?: number;
  items?: { sku: string; amount?: number }[];
  reason: string;
  ticketId?: string;
};

export type ReshipmentInput = {
  items: { sku: string; qty: number }[];
  reason: string;
  originalPoId?: string;
  ticketId?: string;
};

export type StoreCredit = {
  customerId: string;
  balance: number;
  totals: { issued: number; used: number; removed: number };
  frozen: { since: string; reason: string; by: string; approvalId: string | null } | null;
  entries: {
    id: string;
    kind: 'issued' | 'used' | 'removed';
    amount: number;
    balanceAfter: number;
    reason: string;
    orderId: string | null;
    ticketId: string | null;
    approvalId: string | null;
    createdBy: string;
    createdAt: string;
  }[];
  allowed: ('issue' | 'use')[];
};

export type WarrantyClaimReason = 'defect' | 'loss' | 'theft' | 'accidental_damage';

export type OrderWarranty = {
  orderId: string;
  planTypes: {
    name: string;
    title: string;
    covers: string;
    manufacturerMonths: number;
    extendsManufacturerMonths: number;
    excludes: string[];
  }[];
  claimReasons: WarrantyClaimReason[];
  plans: {
    id: string;
    plan: string;
    sku: string;
    itemName: string;
    price: number | null;
    manufacturerMonths: number;
    startsAt: string;
    manufacturerEndsAt: string;
    endsAt: string;
    createdBy: string;
    createdAt: string;
    claims: {
      id: string;
      reason: WarrantyClaimReason;
      description: string;
      status: 'filed' | 'approved' | 'denied' | 'closed';
      nextStatuses: string[];
      ticketId: string | null;
      createdBy: string;
      createdAt: string;
      updatedAt: string;
    }[];
  }[];
  allowed: ('create_plan' | 'file_claim')[];
};

const order = (orderId: string) => `/orders/${encodeURIComponent(orderId)}`;

export async function fetchOrderMoney(orderId: string, signal?: AbortSignal): Promise<OrderMoney> {
  return (await api.get<{ data: OrderMoney }>(`${order(orderId)}/money`, { signal })).data;
}

/**
 * Issues a refund and returns the order's money again. Fails with 422 `guardrail_violation` when a
 * rule of the brand's SOP refuses the kind (`details.rule`) or the amount is more than is refundable
 * (`details.field`).
 */
export async function issueRefund(orderId: string, input: RefundInput): Promise<OrderMoney> {
  return (await api.post<{ data: OrderMoney }>(`${order(orderId)}/refunds`, input)).data;
}

export async function createReshipment(orderId: string, input: ReshipmentInput): Promise<OrderMoney> {
  return (await api.post<{ data: OrderMoney }>(`${order(orderId)}/reshipments`, input)).data;
}

export async function fetchStoreCredit(customerId: string, signal?: AbortSignal): Promise<StoreCredit> {
  const path = `/customers/${encodeURIComponent(customerId)}/store-credit`;
  return (await api.get<{ data: StoreCredit }>(path, { signal })).data;
}

export async function changeStoreCredit(
  customerId: string,
  input: { kind: 'issue' | 'use'; amount: number; reason: string; orderId?: string },
): Promise<StoreCredit> {
  const path = `/customers/${encodeURIComponent(customerId)}/store-credit`;
  return (await api.post<{ data: StoreCredit }>(path, input)).data;
}

export async function fetchWarranty(orderId: string, signal?: AbortSignal): Promise<OrderWarranty> {
  return (await api.get<{ data: OrderWarranty }>(`${order(orderId)}/warranty-plans`, { signal })).data;
}

export async function createWarrantyPlan(
  orderId: string,
  input: { sku: string; plan: string; manufacturerMonths?: number; price?: number },
): Promise<OrderWarranty> {
  return (await api.post<{ data: OrderWarranty }>(`${order(orderId)}/warranty-plans`, input)).data;
}

/** Files a claim; a reason the plan excludes or a claim outside its period fails with 422 and the reason. */
export async function fileWarrantyClaim(
  planId: string,
  input: { reason: WarrantyClaimReason; description: string },
): Promise<OrderWarranty> {
  const path = `/warranty-plans/${encodeURIComponent(planId)}/claims`;
  return (await api.post<{ data: OrderWarranty }>(path, input)).data;
}

export async function setWarrantyClaimStatus(claimId: string, status: string): Promise<OrderWarranty> {
  const path = `/warranty-claims/${encodeURIComponent(claimId)}/status`;
  return (await api.post<{ data: OrderWarranty }>(path, { status })).data;
}
