import { api } from './client';
import type { AuditEntry, Order, OrderSummary } from './types';

/** Orders and their purchase orders: the list, one order, PO status changes and shipments. */

/** One page of the brand's orders, newest first; pass the last row's `placedAt` as `before` for older ones. */
export async function listOrders(
  brandId: string,
  page: { limit: number; before?: string },
  signal?: AbortSignal,
): Promise<OrderSummary[]> {
  const path = `/brands/${encodeURIComponent(brandId)}/orders`;
  return (await api.get<{ data: OrderSummary[] }>(path, { query: page, signal })).data;
}

/** One order with its items, purchase orders, shipments, tracking and PO history. */
export async function fetchOrder(orderId: string, signal?: AbortSignal): Promise<Order> {
  return (await api.get<{ data: Order }>(`/orders/${encodeURIComponent(orderId)}`, { signal })).data;
}

export type PoStatusInput = { status: string; reason?: string; version: number };

/**
 * Moves a PO to another status through the pack's guardrails and returns the whole order again.
 * Fails with 422 `guardrail_violation` when a rule forbids it and 409 `conflict` for a stale version.
 */
export async function setPoStatus(poId: string, input: PoStatusInput): Promise<Order> {
  return (await api.post<{ data: Order }>(`/purchase-orders/${encodeURIComponent(poId)}/status`, input)).data;
}

export type ShipmentInput = {
  carrier?: string;
  trackingNumber: string;
  items: { sku: string; qty: number }[];
};

/** Adds a shipment to a PO; `autoShipped` says Casebook set the PO to Shipped because every item has now shipped. */
export async function addShipment(
  poId: string,
  input: ShipmentInput,
): Promise<{ shipmentId: string; autoShipped: boolean }> {
  const path = `/purchase-orders/${encodeURIComponent(poId)}/shipments`;
  return (await api.post<{ data: { shipmentId: string; autoShipped: boolean } }>(path, input)).data;
}

export type OrderActivity = {
  /** Null when the caller does not work tickets. */
  tickets:
    | {
        id: string;
        number: number;
        subject: string;
        status: string;
        linkedBy: 'auto' | 'user';
        createdAt: string;
      }[]
    | null;
  /** Null without `audit.read`. */
  audit: AuditEntry[] | null;
};

/** The tickets about an order and the audit trail of the order and everything on it. */
export async function fetchOrderActivity(orderId: string, signal?: AbortSignal): Promise<OrderActivity> {
  return (
    await api.get<{ data: OrderActivity }>(`/orders/${encodeURIComponent(orderId)}/activity`, { signal })
  ).data;
}

/**
 * Cancels the order's items that have not shipped and returns the whole order again. Fails with
 * 422 `guardrail_violation` when the pack's cancellation rule forbids it (for example, outside the
 * cancellation window without an approved exception request).
 */
export async function cancelOrder(orderId: string, input: { reason?: string }): Promise<Order> {
  return (await api.post<{ data: Order }>(`/orders/${encodeURIComponent(orderId)}/cancel`, input)).data;
}
