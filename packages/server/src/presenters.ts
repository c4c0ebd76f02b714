import type { Capability } from '@casebook/core';
import type { apiTokens, auditLog, brands, roles, users } from './db/schema';

/** Presenters turn rows into API shapes: nothing secret, dates as ISO strings, allowed actions included. */

export function presentUser(u: typeof users.$inferSelect) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    isOrgAdmin: u.isOrgAdmin,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

export function presentBrand(
  b: typeof brands.$inferSelect,
  role: { name: string; title: string; external?: boolean },
  allowed: Capability[],
) {
  return {
    id: b.id,
    slug: b.slug,
    name: b.name,
    packId: b.packId,
    packVersion: b.packVersion,
    role: { name: role.name, title: role.title, external: role.external ?? false },
    allowed,
  };
}

export function presentRole(r: typeof roles.$inferSelect, allowed: string[]) {
  return {
    id: r.id,
    name: r.name,
    title: r.title,
    description: r.description,
    capabilities: r.capabilities,
    external: r.external,
    source: r.source,
    allowed,
  };
}

export function presentApiToken(t: typeof apiTokens.$inferSelect, roleName: string, allowed: string[]) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    role: roleName,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    allowed,
  };
}

export function presentAuditEntry(a: typeof auditLog.$inferSelect) {
  return {
    id: a.id,
    brandId: a.brandId,
    actor: { type: a.actorType, id: a.actorId, label: a.actorLabel },
    entityType: a.entityType,
    entityId: a.entityId,
    action: a.action,
    before: a.before,
    after: a.after,
    requestId: a.requestId,
    at: a.at.toISOString(),
  };
}
