import { api } from './client';
import type { ApiToken, AuditPage, Brand, Member, Role } from './types';

/** Brand-scoped administration: members, roles, API tokens, the audit log and the brand's settings. */

type One<T> = { data: T };
type Many<T> = { data: T[] };

const base = (brandId: string) => `/brands/${encodeURIComponent(brandId)}`;

/** The brand's members with the actions the caller may take on each. */
export async function listMembers(brandId: string, signal?: AbortSignal): Promise<Member[]> {
  return (await api.get<Many<Member>>(`${base(brandId)}/members`, { signal })).data;
}

/** Gives an existing account a role in the brand. */
export async function addMember(brandId: string, input: { email: string; role: string }): Promise<Member> {
  return (await api.post<One<Member>>(`${base(brandId)}/members`, input)).data;
}

/** Gives a member another of the brand's roles. */
export async function changeMemberRole(brandId: string, membershipId: string, role: string): Promise<Member> {
  return (await api.patch<One<Member>>(`${base(brandId)}/members/${membershipId}`, { role })).data;
}

/** Takes a person out of the brand; their account stays. */
export function removeMember(brandId: string, membershipId: string): Promise<void> {
  return api.delete(`${base(brandId)}/members/${membershipId}`);
}

/** The brand's roles: those of its pack and its custom ones. */
export async function listRoles(brandId: string, signal?: AbortSignal): Promise<Role[]> {
  return (await api.get<Many<Role>>(`${base(brandId)}/roles`, { signal })).data;
}

export type RoleInput = { name: string; title: string; description: string | null; capabilities: string[] };

/** Creates a custom role. */
export async function createRole(brandId: string, input: RoleInput): Promise<Role> {
  return (await api.post<One<Role>>(`${base(brandId)}/roles`, input)).data;
}

/** Changes a custom role's title, description or capabilities. */
export async function updateRole(
  brandId: string,
  roleId: string,
  input: Omit<RoleInput, 'name'>,
): Promise<Role> {
  return (await api.patch<One<Role>>(`${base(brandId)}/roles/${roleId}`, input)).data;
}

/** Deletes a custom role that nobody holds. */
export function deleteRole(brandId: string, roleId: string): Promise<void> {
  return api.delete(`${base(brandId)}/roles/${roleId}`);
}

/** The brand's API tokens, without their secrets. */
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

/** Revokes a token; integrations using it stop at once. */
export function revokeApiToken(brandId: string, tokenId: string): Promise<void> {
  return api.delete(`${base(brandId)}/api-tokens/${tokenId}`);
}

export type AuditFilter = { entityType?: string; action?: string; before?: number; limit?: number };

/** One page of the brand's audit log, newest first; pass `before` for older pages. */
export function readAudit(brandId: string, filter: AuditFilter, signal?: AbortSignal): Promise<AuditPage> {
  return api.get<AuditPage>(`${base(brandId)}/audit`, { query: filter, signal });
}

/** Renames the brand. */
export async function renameBrand(brandId: string, name: string): Promise<Brand> {
  return (await api.patch<One<Brand>>(base(brandId), { name })).data;
}
