import type { UserActor } from '../context';
import { type BrandAccess, can } from './access';

/** Actions on a membership: a person changes nobody's access to themselves, to avoid lock-outs. */
export function membershipActions(
  access: BrandAccess,
  membership: { userId: string },
): ('update' | 'remove')[] {
  if (!can(access, 'members.manage')) return [];
  if (access.actor.kind === 'user' && access.actor.userId === membership.userId) return [];
  return ['update', 'remove'];
}

/** Actions on a role: roles that come from the pack follow the pack and are read-only. */
export function roleActions(
  access: BrandAccess,
  role: { source: 'pack' | 'custom' },
): ('update' | 'delete')[] {
  if (!can(access, 'roles.manage') || role.source === 'pack') return [];
  return ['update', 'delete'];
}

export function apiTokenActions(access: BrandAccess, token: { revokedAt: Date | null }): 'revoke'[] {
  return can(access, 'api_tokens.manage') && !token.revokedAt ? ['revoke'] : [];
}

/** Organization-level actions: only organization admins manage accounts and create brands. */
export function organizationActions(actor: UserActor): ('users.manage' | 'brands.create' | 'audit.read')[] {
  return actor.isOrgAdmin ? ['users.manage', 'brands.create', 'audit.read'] : [];
}
