import { api } from './client';
import type { Customer, CustomerChanges, CustomerDetail } from './helpdeskTypes';

/** Customers: one customer with their tickets and orders, and editing their details. */

/** One customer with their tickets (newest first) and the orders placed with their addresses. */
export async function fetchCustomer(customerId: string, signal?: AbortSignal): Promise<CustomerDetail> {
  return (await api.get<{ data: CustomerDetail }>(`/customers/${encodeURIComponent(customerId)}`, { signal }))
    .data;
}

/** Changes name, phone, notes or addresses; a stale `version` is refused with 409. */
export async function updateCustomer(customerId: string, changes: CustomerChanges): Promise<Customer> {
  return (await api.patch<{ data: Customer }>(`/customers/${encodeURIComponent(customerId)}`, changes)).data;
}
