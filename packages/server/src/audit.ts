import { actorLabel, type RequestContext } from './context';
import type { Queryable } from './db/client';
import { auditLog } from './db/schema';

export type AuditEntry = {
  brandId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
};

/**
 * Records a state change in the audit log. Call it with the transaction that makes the change,
 * so the entry exists exactly when the change does.
 */
export async function audit(tx: Queryable, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  await auditMany(tx, ctx, [entry]);
}

/** Records many changes of one request at once (bulk imports), in the same transaction. */
export async function auditMany(tx: Queryable, ctx: RequestContext, entries: AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 1000) {
    await tx.insert(auditLog).values(entries.slice(i, i + 1000).map((entry) => auditRow(ctx, entry)));
  }
}

/** The audit row of a change, for a statement that writes it together with the change itself. */
export function auditRow(ctx: RequestContext, entry: AuditEntry): typeof auditLog.$inferInsert {
  const actor = ctx.actor;
  return {
    brandId: entry.brandId,
    actorType: actor.kind,
    actorId: actor.kind === 'user' ? actor.userId : actor.kind === 'api_token' ? actor.tokenId : null,
    actorLabel: actorLabel(actor),
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    before: entry.before === undefined ? null : redact(entry.before),
    after: entry.after === undefined ? null : redact(entry.after),
    requestId: ctx.requestId ?? null,
    at: ctx.now,
  };
}

const SECRET_KEYS = new Set(['passwordHash', 'tokenHash', 'password', 'csrfToken', 'token', 'webhookSecret']);

/** Drops secrets from a before/after snapshot; the log says that they changed, not what they are. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}
