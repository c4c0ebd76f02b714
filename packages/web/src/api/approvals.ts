import { api } from './client';

/** Approval requests of the pack's types (HPER, MRR, proof of purchase…) and coupon pools. */

export type ApprovalField = {
  name: string;
  type: string;
  label: string;
  required: boolean;
  options: string[] | null;
};

export type ApprovalType = {
  name: string;
  title: string;
  description: string | null;
  states: string[];
  fields: ApprovalField[];
  steps: { name: string; title: string; note: string; by: string[] }[];
  request: string[];
  decide: string[];
  notice: string | null;
  /** Whether this type refills a coupon pool. */
  pool: boolean;
  allowed: 'request'[];
};

export type Approval = {
  id: string;
  brandId: string;
  type: string;
  typeTitle: string;
  state: string;
  fields: Record<string, unknown>;
  ticketId: string | null;
  parentId: string | null;
  requestedBy: { id: string | null; name: string };
  decidedBy: { id: string | null; name: string } | null;
  decidedAt: string | null;
  decisionNote: string | null;
  version: number;
  createdAt: string;
  steps: { name: string; title: string; note: 'required' | 'optional' }[];
  allowed: string[];
  history?: {
    action: string;
    from: string | null;
    to: string;
    by: string;
    note: string | null;
    data: unknown;
    at: string;
  }[];
};

export type FollowOn = { kind: string; detail: string; id?: string; tracker?: string };

const brandUrl = (brandId: string, rest: string) => `/brands/${encodeURIComponent(brandId)}${rest}`;

export async function listApprovalTypes(brandId: string, signal?: AbortSignal): Promise<ApprovalType[]> {
  return (await api.get<{ data: ApprovalType[] }>(brandUrl(brandId, '/approval-types'), { signal })).data;
}

export async function listApprovals(
  brandId: string,
  filters: { type?: string; state?: string; ticketId?: string },
  signal?: AbortSignal,
): Promise<Approval[]> {
  return (await api.get<{ data: Approval[] }>(brandUrl(brandId, '/approvals'), { query: filters, signal }))
    .data;
}

export async function fetchApproval(id: string, signal?: AbortSignal): Promise<Approval> {
  return (await api.get<{ data: Approval }>(`/approvals/${encodeURIComponent(id)}`, { signal })).data;
}

export async function requestApproval(
  brandId: string,
  input: { type: string; fields: Record<string, unknown>; ticketId?: string | null },
): Promise<{ data: Approval; notice: string | null }> {
  return api.post<{ data: Approval; notice: string | null }>(brandUrl(brandId, '/approvals'), input);
}

/** Takes a step (approve, deny, process…); the result lists what followed from it. */
export async function takeApprovalStep(
  id: string,
  input: { step: string; note?: string; version?: number },
): Promise<{ data: Approval; followOns: FollowOn[]; notice: string | null }> {
  return api.post(`/approvals/${encodeURIComponent(id)}/steps`, input);
}

export type CouponPools = {
  data: { pool: string; free: number; used: number }[];
  lowAt: number;
  allowed: string[];
};

export async function listCouponPools(brandId: string, signal?: AbortSignal): Promise<CouponPools> {
  return api.get<CouponPools>(brandUrl(brandId, '/coupon-pools'), { signal });
}

export async function addCouponCodes(brandId: string, pool: string, codes: string[]) {
  return (
    await api.post<{ data: { added: number; skipped: number } }>(
      brandUrl(brandId, `/coupon-pools/${encodeURIComponent(pool)}/codes`),
      { codes },
    )
  ).data;
}

export async function takeCouponCode(brandId: string, pool: string) {
  return (
    await api.post<{ data: { code: string; remaining: number; alerted: boolean } }>(
      brandUrl(brandId, `/coupon-pools/${encodeURIComponent(pool)}/take`),
      {},
    )
  ).data;
}
