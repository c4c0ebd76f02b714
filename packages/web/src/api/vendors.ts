import { api } from './client';

/** A brand's vendors: contact emails for side conversations and the policies the SOPs read. */

export type VendorPolicy = {
  addressChangeAllowed: boolean;
  cancelWholeOrderWhenSkuOutOfStock: boolean;
  cancelVia: 'side_conversation' | 'portal';
  processingDays: { min: number; max: number };
  freight: boolean;
};

export type VendorOverrides = { [K in keyof VendorPolicy]?: VendorPolicy[K] | null };

export type Vendor = {
  /** Null for a vendor of the pack the brand has not stored yet (saving it creates it). */
  id: string | null;
  name: string;
  inPack: boolean;
  stored: boolean;
  contactEmails: string[];
  /** The policy in force: the brand's settings where set, else the pack's. */
  policy: VendorPolicy;
  packPolicy: VendorPolicy;
  overrides: VendorOverrides;
  version: number;
  allowed: 'update'[];
};

export type VendorInput = VendorOverrides & { contactEmails?: string[] };

export async function listVendors(brandId: string, signal?: AbortSignal): Promise<Vendor[]> {
  return (await api.get<{ data: Vendor[] }>(`/brands/${encodeURIComponent(brandId)}/vendors`, { signal }))
    .data;
}

export async function createVendor(brandId: string, input: VendorInput & { name: string }): Promise<Vendor> {
  return (await api.post<{ data: Vendor }>(`/brands/${encodeURIComponent(brandId)}/vendors`, input)).data;
}

export async function updateVendor(
  vendorId: string,
  input: VendorInput & { version?: number },
): Promise<Vendor> {
  return (await api.patch<{ data: Vendor }>(`/vendors/${encodeURIComponent(vendorId)}`, input)).data;
}
