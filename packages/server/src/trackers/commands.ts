import { createHash } from 'node:crypto';
import {
  checkFieldValues,
  durationHours,
  type FieldProblem,
  type FieldValues,
  isFinalState,
  nextStates,
  recordLabel,
  type TrackerType,
  trendFields,
  trendKey,
  trendRecords,
} from '@casebook/core';
import { and, eq, gte, lte, sql } from 'drizzle-orm';
import { audit } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import {
  orders,
  purchaseOrders,
  tickets,
  trackerComments,
  trackerEvents,
  trackerEvidence,
  trackerLinks,
  trackerRecords,
} from '../db/schema';
import { errors } from '../errors';
import { postNotification } from '../notifications/post';
import { recordEvent } from '../tickets/events';
import { logAction } from '../worklog/automatic';
import { permissionsFor, requirePermission, requireType, type TrackerAccess } from './access';

export type RecordRow = typeof trackerRecords.$inferSelect;
export type LinkKind = (typeof trackerLinks.$inferInsert)['kind'];

const fieldErrors = (problems: FieldProblem[]) =>
  errors.validation(problems.map((p) => ({ field: p.field, in: 'body' as const, problem: p.problem })));

/** Adds an entry to the record's history. */
export async function recordHistory(
  tx: Queryable,
  ctx: RequestContext,
  record: { id: string; brandId: string },
  kind: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await tx.insert(trackerEvents).values({
    brandId: record.brandId,
    recordId: record.id,
    kind,
    actorLabel: actorLabel(ctx.actor),
    data,
    at: ctx.now,
  });
}

type Resolved = { links: { kind: LinkKind; targetId: string }[]; vendorIds: string[] };

/**
 * Turns the `order` and `po` fields (numbers people type) into links to the brand's orders and
 * POs. A supplier's staff may name only orders and POs assigned to their company; anything else
 * reads as not found.
 */
async function resolveReferences(
  tx: Queryable,
  access: TrackerAccess,
  def: TrackerType,
  values: FieldValues,
): Promise<Resolved> {
  const out: Resolved = { links: [], vendorIds: [] };
  const problems: FieldProblem[] = [];
  for (const [name, field] of Object.entries(def.fields)) {
    const value = values[name];
    if (typeof value !== 'string') continue;
    if (field.type === 'order') {
      const [order] = await tx
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.brandId, access.brand.id), sql`upper(${orders.number}) = upper(${value})`));
      const pos = order
        ? await tx
            .select({ id: purchaseOrders.id, vendorId: purchaseOrders.vendorId })
            .from(purchaseOrders)
            .where(eq(purchaseOrders.orderId, order.id))
        : [];
      if (!order || (access.company && !pos.some((p) => p.vendorId === access.company))) {
        problems.push({ field: `fields.${name}`, problem: `no order ${value} ${scope(access)}` });
        continue;
      }
      out.links.push({ kind: 'order', targetId: order.id });
      const ours = access.company ? pos.filter((p) => p.vendorId === access.company) : pos;
      const companies = new Set(ours.map((p) => p.vendorId));
      out.vendorIds.push(...companies);
      // The order's POs of the one company it concerns are what the record is about too.
      if (companies.size === 1) out.links.push(...ours.map((p) => ({ kind: 'po' as const, targetId: p.id })));
    } else if (field.type === 'po') {
      const [po] = await tx
        .select({ id: purchaseOrders.id, vendorId: purchaseOrders.vendorId })
        .from(purchaseOrders)
        .where(
          and(
            eq(purchaseOrders.brandId, access.brand.id),
            sql`upper(${purchaseOrders.number}) = upper(${value})`,
          ),
        );
      if (!po || (access.company && po.vendorId !== access.company)) {
        problems.push({ field: `fields.${name}`, problem: `no purchase order ${value} ${scope(access)}` });
        continue;
      }
      out.links.push({ kind: 'po', targetId: po.id });
      out.vendorIds.unshift(po.vendorId);
    }
  }
  if (problems.length) throw fieldErrors(problems);
  return out;
}

const scope = (access: TrackerAccess) =>
  access.company ? 'among your company’s purchase orders' : `in ${access.brand.name}`;

/** The company a record concerns: the supplier's own, the linked PO's vendor, or the order's only vendor. */
function companyFor(access: TrackerAccess, resolved: Resolved): string | null {
  if (access.company) return access.company;
  const unique = [...new Set(resolved.vendorIds)];
  return unique.length >= 1 && (unique.length === 1 || resolved.links.some((l) => l.kind === 'po'))
    ? unique[0]!
    : null;
}

export type CreateRecordInput = {
  fields: Record<string, unknown>;
  ticketId?: string | undefined;
  state?: string | undefined;
};

/**
 * Logs a record: checks the caller may log the type and the values fit it, links the ticket,
 * order and PO, writes the record's first history entry and the audit entry, notes it on the
 * ticket, then looks for a trend the record completes. One transaction (the caller's).
 */
export async function createRecord(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  type: string,
  input: CreateRecordInput,
  options: {
    /**
     * Logged by Casebook as part of a change the caller was allowed to make (a refund feeding the
     * finance tracker), not by the caller's hand: the type's `log` roles do not apply.
     */
    automatic?: boolean;
  } = {},
): Promise<{ record: RecordRow; raised: RecordRow | null }> {
  if (!options.automatic) requirePermission(access, type, 'log');
  const def = options.automatic ? access.pack.manifest.trackers[type] : requireType(access, type);
  if (!def) throw new Error(`The pack has no tracker type "${type}".`);
  const { values, problems } = checkFieldValues(def, input.fields);
  const state = input.state ?? def.states[0]!;
  if (!def.states.includes(state))
    problems.push({ field: 'state', problem: `must be one of: ${def.states.join(', ')}` });
  if (problems.length) throw fieldErrors(problems);
  const resolved = await resolveReferences(tx, access, def, values);
  let ticket: { id: string; brandId: string; number: number } | undefined;
  if (input.ticketId) {
    if (!options.automatic && !access.role.capabilities.has('tickets.work'))
      throw errors.field('ticketId', 'no such ticket');
    [ticket] = await tx
      .select({ id: tickets.id, brandId: tickets.brandId, number: tickets.number })
      .from(tickets)
      .where(and(eq(tickets.id, input.ticketId), eq(tickets.brandId, access.brand.id)));
    if (!ticket) throw errors.field('ticketId', 'no such ticket');
    resolved.links.unshift({ kind: 'ticket', targetId: ticket.id });
  }
  const record = await insertRecord(tx, ctx, access, type, state, values, companyFor(access, resolved), null);
  await addLinks(tx, ctx, record, resolved.links);
  await recordHistory(tx, ctx, record, 'created', { state, fields: values, ticketId: ticket?.id ?? null });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'tracker_record',
    entityId: record.id,
    action: 'create',
    after: { type, number: record.number, state, fields: values, links: resolved.links },
  });
  if (!options.automatic)
    await logAction(tx, ctx, {
      brandId: access.brand.id,
      pack: access.pack,
      source: 'tracker',
      ticketId: ticket?.id,
    });
  if (ticket) {
    await recordEvent(tx, ctx, ticket, 'record_logged', {
      recordId: record.id,
      type,
      number: record.number,
      label: recordLabel(def, record.number),
    });
  }
  if (def.notify) {
    await postNotification(
      tx,
      {
        brandId: access.brand.id,
        channel: def.notify.channel,
        template: def.notify.template,
        vars: {
          ...values,
          type: def.title,
          number: record.number,
          state,
          by: ctx.actor.kind === 'user' ? ctx.actor.name : actorLabel(ctx.actor),
        },
        link: `/b/${access.brand.id}/trackers/${type}/${record.id}`,
      },
      { now: ctx.now, pack: access.pack },
    );
  }
  const raised = await raiseTrends(tx, ctx, access, type, record);
  return { record, raised };
}

async function insertRecord(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  type: string,
  state: string,
  values: FieldValues,
  vendorId: string | null,
  trend: string | null,
): Promise<RecordRow> {
  const [record] = (await tx
    .insert(trackerRecords)
    .values({
      brandId: access.brand.id,
      type,
      state,
      fields: values,
      vendorId,
      trendKey: trend,
      createdBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      createdByLabel: actorLabel(ctx.actor),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning()) as [RecordRow];
  return record;
}

async function addLinks(
  tx: Queryable,
  ctx: RequestContext,
  record: RecordRow,
  links: { kind: LinkKind; targetId: string }[],
): Promise<void> {
  if (!links.length) return;
  await tx
    .insert(trackerLinks)
    .values(links.map((l) => ({ brandId: record.brandId, recordId: record.id, ...l, createdAt: ctx.now })))
    .onConflictDoNothing();
}

/**
 * Trend detection. For every type of the pack whose `trend` watches the new record's type: the
 * records with the same `match` values inside the window ending at the new record's time. Once
 * there are `count` of them, a record of the watching type is raised, linked to them all; while
 * that record is not in a final state, later matching records are linked to it instead of
 * raising another.
 */
async function raiseTrends(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  type: string,
  record: RecordRow,
): Promise<RecordRow | null> {
  let raisedAny: RecordRow | null = null;
  for (const [raisedType, raisedDef] of Object.entries(access.pack.manifest.trackers)) {
    const rule = raisedDef.trend;
    if (!rule || rule.from !== type) continue;
    const key = trendKey(rule, record.fields);
    if (!key) continue;
    const fullKey = `${type}:${key}`;
    // One trend is decided at a time per brand and key, so two concurrent records raise it once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${record.brandId}:${fullKey}`}))`);
    const open = (
      await tx
        .select()
        .from(trackerRecords)
        .where(
          and(
            eq(trackerRecords.brandId, record.brandId),
            eq(trackerRecords.type, raisedType),
            eq(trackerRecords.trendKey, fullKey),
          ),
        )
    ).find((r) => !isFinalState(raisedDef, r.state));
    const system: RequestContext = { ...ctx, actor: { kind: 'system', name: 'trend-detection' } };
    if (open) {
      await addLinks(tx, ctx, open, [{ kind: 'record', targetId: record.id }]);
      await recordHistory(tx, system, open, 'linked', {
        kind: 'record',
        targetId: record.id,
        number: record.number,
      });
      continue;
    }
    const windowStart = new Date(record.createdAt.getTime() - (durationHours(rule.within) ?? 0) * 3_600_000);
    const sameType = await tx
      .select({
        id: trackerRecords.id,
        at: trackerRecords.createdAt,
        number: trackerRecords.number,
        fields: trackerRecords.fields,
      })
      .from(trackerRecords)
      .where(
        and(
          eq(trackerRecords.brandId, record.brandId),
          eq(trackerRecords.type, type),
          gte(trackerRecords.createdAt, windowStart),
          lte(trackerRecords.createdAt, record.createdAt),
        ),
      );
    const candidates = sameType.filter((r) => trendKey(rule, r.fields) === key);
    const matched = trendRecords(rule, candidates, record.createdAt);
    if (!matched) continue;
    const fromDef = access.pack.manifest.trackers[type]!;
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const labels = matched.map((m) => ({ label: recordLabel(fromDef, byId.get(m.id)!.number) }));
    const fields = trendFields(rule, raisedDef, record.fields, labels, describeDuration(rule.within));
    const { values, problems } = checkFieldValues(raisedDef, fields);
    if (problems.length) {
      throw new Error(
        `The pack's trend for ${raisedType} fills fields that do not fit: ${JSON.stringify(problems)}`,
      );
    }
    const raised = await insertRecord(
      tx,
      system,
      access,
      raisedType,
      raisedDef.states[0]!,
      values,
      record.vendorId,
      fullKey,
    );
    await addLinks(
      tx,
      ctx,
      raised,
      matched.map((m) => ({ kind: 'record' as const, targetId: m.id })),
    );
    await recordHistory(tx, system, raised, 'created', {
      state: raised.state,
      fields: values,
      trend: { from: type, records: matched.map((m) => m.id) },
    });
    await audit(tx, system, {
      brandId: record.brandId,
      entityType: 'tracker_record',
      entityId: raised.id,
      action: 'create',
      after: { type: raisedType, number: raised.number, state: raised.state, fields: values, trend: fullKey },
    });
    raisedAny = raised;
  }
  return raisedAny;
}

function describeDuration(iso: string): string {
  const d = /(\d+)D/.exec(iso)?.[1];
  const w = /(\d+)W/.exec(iso)?.[1];
  const h = /T(\d+)H/.exec(iso)?.[1];
  if (w) return `${w} week(s)`;
  if (d) return `${d} days`;
  if (h) return `${h} hours`;
  return iso;
}

/** Loads a record the caller may see, locked for a change; otherwise "No such record". */
export async function recordFor(
  tx: Queryable,
  access: TrackerAccess,
  recordId: string,
  options: { lock?: boolean } = {},
): Promise<RecordRow> {
  const query = tx
    .select()
    .from(trackerRecords)
    .where(and(eq(trackerRecords.id, recordId), eq(trackerRecords.brandId, access.brand.id)));
  const [record] = options.lock ? await query.for('update') : await query;
  if (!record || !permissionsFor(access, record.type).see) throw errors.notFound('record');
  if (access.company && record.vendorId !== access.company) throw errors.notFound('record');
  return record;
}

function checkVersion(record: RecordRow, version: number | undefined) {
  if (version !== undefined && version !== record.version) {
    throw errors.conflict('Someone changed this record since you opened it; reload it and try again.', {
      currentVersion: record.version,
    });
  }
}

/** Changes field values (those who log or resolve the type). */
export async function updateRecordFields(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  recordId: string,
  input: { fields: Record<string, unknown>; version?: number | undefined },
): Promise<RecordRow> {
  const record = await recordFor(tx, access, recordId, { lock: true });
  const def = requireType(access, record.type);
  const perms = permissionsFor(access, record.type);
  if (!perms.log && !perms.resolve) requirePermission(access, record.type, 'resolve');
  checkVersion(record, input.version);
  const { values, problems } = checkFieldValues(def, input.fields, { partial: true });
  if (problems.length) throw fieldErrors(problems);
  const cleared = Object.keys(input.fields).filter((k) => !(k in values));
  const merged: FieldValues = { ...record.fields, ...values };
  for (const k of cleared) delete merged[k];
  const changedKeys = Object.keys(input.fields).filter((k) => record.fields[k] !== merged[k]);
  if (!changedKeys.length) return record;
  const resolved = await resolveReferences(
    tx,
    access,
    def,
    Object.fromEntries(changedKeys.map((k) => [k, merged[k]!]).filter(([, v]) => v !== undefined)),
  );
  const before = Object.fromEntries(changedKeys.map((k) => [k, record.fields[k] ?? null]));
  const after = Object.fromEntries(changedKeys.map((k) => [k, merged[k] ?? null]));
  const [saved] = (await tx
    .update(trackerRecords)
    .set({
      fields: merged,
      // A new order or PO may concern another supplier company.
      vendorId: resolved.links.length ? (companyFor(access, resolved) ?? record.vendorId) : record.vendorId,
      version: record.version + 1,
      updatedAt: ctx.now,
    })
    .where(eq(trackerRecords.id, record.id))
    .returning()) as [RecordRow];
  await addLinks(tx, ctx, saved, resolved.links);
  await recordHistory(tx, ctx, saved, 'fields_changed', { before, after });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'tracker_record',
    entityId: record.id,
    action: 'update',
    before,
    after,
  });
  return saved;
}

/** Moves a record to another state: only roles that resolve the type, along the allowed moves. */
export async function moveRecord(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  recordId: string,
  input: { state: string; note?: string | undefined; version?: number | undefined },
): Promise<RecordRow> {
  const record = await recordFor(tx, access, recordId, { lock: true });
  const def = requireType(access, record.type);
  requirePermission(access, record.type, 'resolve');
  checkVersion(record, input.version);
  const allowed = nextStates(def, record.state);
  if (!allowed.includes(input.state)) {
    throw errors.field(
      'state',
      allowed.length
        ? `a ${def.title} record in "${record.state}" may move to: ${allowed.join(', ')}`
        : `a ${def.title} record in "${record.state}" cannot move`,
    );
  }
  const [saved] = (await tx
    .update(trackerRecords)
    .set({ state: input.state, version: record.version + 1, updatedAt: ctx.now })
    .where(eq(trackerRecords.id, record.id))
    .returning()) as [RecordRow];
  await recordHistory(tx, ctx, saved, 'state_changed', {
    from: record.state,
    to: input.state,
    note: input.note ?? null,
  });
  if (input.note) {
    await tx.insert(trackerComments).values({
      brandId: record.brandId,
      recordId: record.id,
      authorUserId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      authorLabel: authorName(ctx),
      body: input.note,
      createdAt: ctx.now,
    });
  }
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'tracker_record',
    entityId: record.id,
    action: 'state',
    before: { state: record.state },
    after: { state: input.state, note: input.note ?? null },
  });
  return saved;
}

const authorName = (ctx: RequestContext) =>
  ctx.actor.kind === 'user' ? ctx.actor.name : actorLabel(ctx.actor);

/** A comment by anyone who sees the record (suppliers answer requests this way). */
export async function addComment(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  recordId: string,
  body: string,
): Promise<RecordRow> {
  const record = await recordFor(tx, access, recordId, { lock: true });
  const [comment] = await tx
    .insert(trackerComments)
    .values({
      brandId: record.brandId,
      recordId: record.id,
      authorUserId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      authorLabel: authorName(ctx),
      body,
      createdAt: ctx.now,
    })
    .returning({ id: trackerComments.id });
  await touch(tx, ctx, record);
  await recordHistory(tx, ctx, record, 'commented', { commentId: comment!.id });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'tracker_record',
    entityId: record.id,
    action: 'comment',
    after: { commentId: comment!.id, length: body.length },
  });
  return record;
}

async function touch(tx: Queryable, ctx: RequestContext, record: RecordRow) {
  await tx
    .update(trackerRecords)
    .set({ version: record.version + 1, updatedAt: ctx.now })
    .where(eq(trackerRecords.id, record.id));
}

export type EvidenceFile = { filename: string; contentType: string; content: Buffer };

/** Adds photos (or other proof) to one of the record's albums. */
export async function addEvidence(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  recordId: string,
  album: string,
  files: EvidenceFile[],
): Promise<RecordRow> {
  const record = await recordFor(tx, access, recordId, { lock: true });
  const rows = await tx
    .insert(trackerEvidence)
    .values(
      files.map((f) => ({
        brandId: record.brandId,
        recordId: record.id,
        album,
        filename: f.filename,
        contentType: f.contentType,
        size: f.content.length,
        sha256: createHash('sha256').update(f.content).digest('hex'),
        content: f.content,
        uploadedByLabel: authorName(ctx),
        createdAt: ctx.now,
      })),
    )
    .returning({
      id: trackerEvidence.id,
      filename: trackerEvidence.filename,
      sha256: trackerEvidence.sha256,
    });
  await touch(tx, ctx, record);
  await recordHistory(tx, ctx, record, 'evidence_added', { album, files: rows.map((r) => r.filename) });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'tracker_record',
    entityId: record.id,
    action: 'add_evidence',
    after: { album, files: rows },
  });
  return record;
}

/** Links a record to a ticket, an order or a PO of the brand (by id), or to another record. */
export async function linkRecord(
  tx: Queryable,
  ctx: RequestContext,
  access: TrackerAccess,
  recordId: string,
  link: { kind: LinkKind; id: string },
): Promise<RecordRow> {
  const record = await recordFor(tx, access, recordId, { lock: true });
  if (access.company && link.kind !== 'po' && link.kind !== 'order')
    throw errors.field('kind', 'must be order or po');
  const table = { ticket: tickets, order: orders, po: purchaseOrders, record: trackerRecords }[link.kind];
  const [target] = await tx
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.id, link.id), eq(table.brandId, access.brand.id)));
  if (!target) throw errors.field('id', `no such ${link.kind} in ${access.brand.name}`);
  if (link.kind === 'ticket' && !access.role.capabilities.has('tickets.work'))
    throw errors.field('id', 'no such ticket');
  if (access.company && link.kind === 'po') {
    const [po] = await tx
      .select({ vendorId: purchaseOrders.vendorId })
      .from(purchaseOrders)
      .where(eq(purchaseOrders.id, link.id));
    if (po?.vendorId !== access.company) throw errors.field('id', `no such po in ${access.brand.name}`);
  }
  if (access.company && link.kind === 'order') {
    const pos = await tx
      .select({ vendorId: purchaseOrders.vendorId })
      .from(purchaseOrders)
      .where(eq(purchaseOrders.orderId, link.id));
    if (!pos.some((p) => p.vendorId === access.company))
      throw errors.field('id', `no such order in ${access.brand.name}`);
  }
  await addLinks(tx, ctx, record, [{ kind: link.kind, targetId: link.id }]);
  await touch(tx, ctx, record);
  await recordHistory(tx, ctx, record, 'linked', { kind: link.kind, targetId: link.id });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'tracker_record',
    entityId: record.id,
    action: 'link',
    after: { kind: link.kind, targetId: link.id },
  });
  return record;
}

/** Ids of records linked to a ticket. */
export async function recordIdsOfTicket(db: Queryable, brandId: string, ticketId: string): Promise<string[]> {
  const rows = await db
    .select({ id: trackerLinks.recordId })
    .from(trackerLinks)
    .where(
      and(
        eq(trackerLinks.brandId, brandId),
        eq(trackerLinks.kind, 'ticket'),
        eq(trackerLinks.targetId, ticketId),
      ),
    );
  return rows.map((r) => r.id);
}
