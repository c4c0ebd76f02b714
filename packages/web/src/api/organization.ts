import { api } from './client';
import type { CapabilityInfo, Pack, User } from './types';

/*
 * Organization-level calls: accounts (for organization admins) and the catalogues roles are built from.
 */

/** Every account of the organization (organization admins only). */
export async function listUsers(signal?: AbortSignal): Promise<User[]> {
  return (await api.get<{ data: User[] }>('/users', { signal })).data;
}

export type NewUser = { email: string; name: string; password: string; isOrgAdmin: boolean };

/** Creates an account. */
export async function createUser(input: NewUser): Promise<User> {
  return (await api.post<{ data: User }>('/users', input)).data;
}

export type UserChanges = { name?: string; isOrgAdmin?: boolean; disabled?: boolean; password?: string };

/** Changes an account: name, admin flag, disabled, or a new password. */
export async function updateUser(userId: string, changes: UserChanges): Promise<User> {
  return (await api.patch<{ data: User }>(`/users/${userId}`, changes)).data;
}

/** The capability catalogue that roles are made of, with descriptions. */
export async function listCapabilities(signal?: AbortSignal): Promise<CapabilityInfo[]> {
  return (await api.get<{ data: CapabilityInfo[] }>('/capabilities', { signal })).data;
}

/** The SOP packs installed on the server. */
export async function listPacks(signal?: AbortSignal): Promise<Pack[]> {
  return (await api.get<{ data: Pack[] }>('/packs', { signal })).data;
}
