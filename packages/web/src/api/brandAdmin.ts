import { api } from './client';
import type { ApiToken, AuditPage, Brand, Member, Role } from './types';

/** Brand-scoped administration: members, roles, API tokens, the audit log and the brand's settings. */

type One<T> = { data: T };
type Many<T> = { data: T[] };

const base = (brandId: string) => `/brands/${encodeURIComponent(brandId)}`;

export async function listMembers(brandId: string, signal?: AbortSignal): Promise<Member[]> {
  return (await api.get<Many<Member>>(`${base(brandId)}/members`, { signal })).data;
}

export async function addMember(brandId: string, input: { email: string; role: string }): Promise<Member> {
  return (await api.post<One<Member>>(`${base(brandId)}/members`, input)).data;
}

export async function changeMemberRole(brandId: string, membershipId: string, role: string): Promise<Member> {
  return (await api.patch<One<Member>>(`${base(brandId)}/members/${membershipId}`, { role })).data;
}

export function removeMember(brandId: string, membershipId: string): Promise<void> {
  return api.delete(`${base(brandId)}/members/${membershipId}`);
}

export async function listRoles(brandId: string, signal?: AbortSignal): Promise<Role[]> {
  return (await api.get<Many<Role>>(`${base(brandId)}/roles`, { signal })).data;
}

export type RoleInput = { name: string; title: string; description: string | null; capabilities: string[] };

export async function createRole(brandId: string, input: RoleInput): Promise<Role> {
  return (await api.post<One<Role>>(`${base(brandId)}/roles`, input)).data;
}

export async function updateRole(brandId: string, roleId: string, input: Omit<RoleInput, 'name'>): Promise<Role> {
  return (await api.patch<One<Role>>(`${base(brandId)}/roles/${roleId}`, input)).data;
}

export function deleteRole(brandId: string, roleId: string): Promise<void> {
  return api.delete(`${base(brandId)}/roles/${roleId}`);
}

export async function listApiTokens(brandId: string, signal?: AbortSignal): Promise<ApiToken[]> {
  return (await api.get<Many<ApiToken>>(`${base(brandId)}/api-tokens`, { signal })).data;
}

/** Creates a token; the secret `token` is in this response only. */
export function createApiToken(
  brandId: string,
  input: { name: string; role: string; expiresAt: string | null },
): Promise<{ data: ApiToken; token: string }> {
  return api.post<{ data: ApiToken; token: string }>(`${base(brandId)}/api-tokens`, input);
}

export function revokeApiToken(brandId: string, tokenId: string): Promise<void> {
  return api.delete(`${base(brandId)}/api-tokens/${tokenId}`);
}

export type AuditFilter = { entityType?: string; action?: string; before?: number; limit?: number };

export function readAudit(brandId: string, filter: AuditFilter, signal?: AbortSignal): Promise<AuditPage> {
  return api.get<AuditPage>(`${base(brandId)}/audit`, { query: filter, signal });
}

export async function renameBrand(brandId: string, name: string): Promise<Brand> {
  return (await api.patch<One<Brand>>(base(brandId), { name })).data;
}
