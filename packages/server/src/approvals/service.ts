import {
  approvalDedupeKey,
  approvalSteps,
  canViewApprovals,
  openStates,
  type Pack,
  type PackApproval,
  recordLabel,
  renderTemplate,
  requestRefusal,
  stepRefusal,
  validateApprovalFields,
} from '@casebook/core';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../audit';
import { moveCardsOfApproval } from '../boards/cards';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { approvalEvents, approvalRequests, customerEmails, orders, tickets } from '../db/schema';
import { errors } from '../errors';
import { freezeStoreCredit, removeStoreCredit, unfreezeStoreCredit } from '../money/storeCredit';
import { postNotification } from '../notifications/post';
import type { BrandAccess } from '../policies';
import { trackerAccess } from '../trackers/access';
import { createRecord } from '../trackers/commands';
import { logAction } from '../worklog/automatic';

export type ApprovalRow = typeof approvalRequests.$inferSelect;

export function approvalType(pack: Pack, type: string, field = 'type'): PackApproval {
  const def = pack.manifest.approvals[type];
  if (!def) throw errors.field(field, `"${type}" is not an approval type of this brand`);
  return def;
}

/** The role the pack's approval rules see: the caller's role name in the brand. */
export const roleOf = (access: BrandAccess) => access.role.name;

/**
 * Who the approval rules see: the role's name (the pack's role lists) and its capabilities
 * (`approval.file.<type>`, `approval.decide.<type>` and the pack's own, for custom roles).
 */
export const approvalActor = (access: BrandAccess) => ({
  role: access.role.name,
  capabilities: access.role.capabilities,
});

function actorIds(ctx: RequestContext) {
  return {
    id: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    name: ctx.actor.kind === 'user' ? ctx.actor.name : actorLabel(ctx.actor),
  };
}

export type NewApproval = {
  type: string;
  fields: Record<string, unknown>;
  ticketId?: string | null | undefined;
};

/**
 * Files a request of one of the pack's approval types. The caller's role must be one of the
 * type's requesters; the fields are checked against the type (each problem names the field); a
 * deduplicated type refuses a second open request with the same key, naming the first.
 * `parent` is set when a decision files this request as its follow-on (no requester check: the
 * decision allowed it).
 */
export async function createApproval(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  input: NewApproval,
  parent?: ApprovalRow,
): Promise<ApprovalRow> {
  const def = approvalType(pack, input.type);
  const refused = parent ? null : requestRefusal(input.type, def, approvalActor(access));
  if (refused) throw errors.forbidden(`Your role (${access.role.title}) ${refused}`);
  const problems = validateApprovalFields(def, input.fields);
  if (problems.length) throw errors.validation(problems.map((p) => ({ ...p, in: 'body' as const })));
  const brandId = access.brand.id;
  if (input.ticketId) {
    const [t] = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.id, input.ticketId), eq(tickets.brandId, brandId)));
    if (!t) throw errors.field('ticketId', 'is not a ticket of this brand');
  }
  const fields = Object.fromEntries(
    Object.entries(input.fields).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
  );
  const dedupeKey = approvalDedupeKey(input.type, def, fields);
  if (dedupeKey) {
    const [open] = await tx
      .select({ id: approvalRequests.id, state: approvalRequests.state })
      .from(approvalRequests)
      .where(
        and(
          eq(approvalRequests.brandId, brandId),
          eq(approvalRequests.dedupeKey, dedupeKey),
          inArray(approvalRequests.state, openStates(def)),
        ),
      )
      .limit(1)
      .for('update');
    if (open) {
      throw errors.conflict(
        `An open ${def.title} with the same ${def.dedupe!.join(', ')} already exists (${open.id}); add to it instead.`,
        { duplicateOf: open.id, fields: def.dedupe },
      );
    }
  }
  const who = actorIds(ctx);
  const [row] = await tx
    .insert(approvalRequests)
    .values({
      brandId,
      type: input.type,
      state: def.states[0]!,
      fields,
      ticketId: input.ticketId ?? null,
      dedupeKey,
      parentId: parent?.id ?? null,
      requestedBy: who.id,
      requestedByName: who.name,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await tx.insert(approvalEvents).values({
    brandId,
    requestId: row!.id,
    action: parent ? 'follow_on' : 'request',
    fromState: null,
    toState: row!.state,
    actorId: who.id,
    actorName: who.name,
    data: parent ? { parentId: parent.id, parentType: parent.type } : {},
    at: ctx.now,
  });
  await audit(tx, ctx, { brandId, entityType: 'approval', entityId: row!.id, action: 'request', after: row });
  if (!parent) await logAction(tx, ctx, { brandId, pack, source: 'approval', ticketId: input.ticketId });
  return row!;
}

export async function lockApproval(tx: Queryable, brandId: string, id: string): Promise<ApprovalRow> {
  const [row] = await tx
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.id, id), eq(approvalRequests.brandId, brandId)))
    .for('update');
  if (!row) throw errors.notFound('approval request');
  return row;
}

export type StepInput = { step: string; note?: string | undefined; version?: number | undefined };

export type StepResult = {
  request: ApprovalRow;
  followOns: { kind: string; detail: string; id?: string; tracker?: string }[];
  notice: string | null;
};

/**
 * Takes a step of a request (approve, deny, process…) and every follow-on the pack names for it,
 * all in the caller's transaction: a follow-on that fails undoes the decision. Nobody takes a step
 * on their own request.
 */
export async function takeStep(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  request: ApprovalRow,
  input: StepInput,
): Promise<StepResult> {
  const def = approvalType(pack, request.type);
  if (input.version !== undefined && input.version !== request.version) {
    throw errors.conflict('The request changed since you loaded it. Reload and try again.', {
      version: request.version,
    });
  }
  const who = actorIds(ctx);
  const isRequester = who.id !== null && who.id === request.requestedBy;
  const step = approvalSteps(def)[input.step];
  if (!step) throw errors.field('step', `"${input.step}" is not a step of ${def.title}`);
  const refusal = stepRefusal(request.type, def, input.step, request.state, {
    ...approvalActor(access),
    isRequester,
  });
  if (refusal) {
    if (!step.from.includes(request.state)) throw errors.conflict(refusal, { state: request.state });
    throw errors.forbidden(refusal);
  }
  const note = input.note?.trim() || null;
  if (step.note === 'required' && !note)
    throw errors.field('note', `is required to ${step.title.toLowerCase()}`);
  const [updated] = await tx
    .update(approvalRequests)
    .set({
      state: step.to,
      decidedBy: who.id,
      decidedByName: who.name,
      decidedAt: ctx.now,
      decisionNote: note,
      version: request.version + 1,
      updatedAt: ctx.now,
    })
    .where(eq(approvalRequests.id, request.id))
    .returning();
  await tx.insert(approvalEvents).values({
    brandId: request.brandId,
    requestId: request.id,
    action: input.step,
    fromState: request.state,
    toState: step.to,
    actorId: who.id,
    actorName: who.name,
    note,
    at: ctx.now,
  });
  await audit(tx, ctx, {
    brandId: request.brandId,
    entityType: 'approval',
    entityId: request.id,
    action: input.step,
    before: { state: request.state },
    after: { state: step.to, note },
  });
  await logAction(tx, ctx, {
    brandId: request.brandId,
    pack,
    source: 'approval',
    ticketId: request.ticketId,
  });
  const followOns: StepResult['followOns'] = [];
  const vars = { ...updated!.fields, id: request.id, note: note ?? '' };
  const tz = pack.manifest.calendar.timezone;
  for (const then of step.then) {
    if ('request' in then) {
      const fields = Object.fromEntries(
        Object.entries(then.fields).map(([k, v]) => [k, renderTemplate(v, vars, ctx.now, tz).text]),
      );
      const child = await createApproval(
        tx,
        ctx,
        access,
        pack,
        { type: then.request, fields, ticketId: request.ticketId },
        updated!,
      );
      followOns.push({ kind: 'request', detail: then.request, id: child.id });
    } else if ('post' in then) {
      const posted = await postNotification(
        tx,
        {
          brandId: request.brandId,
          channel: then.post.channel,
          template: then.post.template,
          vars,
          link: `/brands/${request.brandId}/approvals/${request.id}`,
        },
        { now: ctx.now, pack },
      );
      followOns.push({ kind: 'post', detail: `${then.post.channel}: ${posted.text}` });
    } else if ('logRecord' in then) {
      const fields = Object.fromEntries(
        Object.entries(then.logRecord.fields)
          .map(([k, v]) => [k, renderTemplate(v, vars, ctx.now, tz).text.trim()])
          .filter(([, v]) => v !== ''),
      );
      const { record } = await createRecord(
        tx,
        ctx,
        await trackerAccess(tx, access, pack),
        then.logRecord.tracker,
        { fields, ticketId: request.ticketId ?? undefined },
        { automatic: true },
      );
      const tracker = pack.manifest.trackers[then.logRecord.tracker]!;
      followOns.push({
        kind: 'record',
        detail: `${tracker.title}: ${recordLabel(tracker, record.number)}`,
        id: record.id,
        tracker: then.logRecord.tracker,
      });
    } else if ('moveCard' in then) {
      const moved = await moveCardsOfApproval(
        tx,
        ctx,
        pack,
        updated!,
        then.moveCard.board,
        then.moveCard.column,
      );
      for (const card of moved)
        followOns.push({ kind: 'moveCard', detail: then.moveCard.column, id: card.id });
    } else if ('freezeStoreCredit' in then) {
      followOns.push(await freezeStoreCreditFollowOn(tx, ctx, updated!));
    } else if ('removeStoreCredit' in then) {
      const removed = await removeStoreCreditFollowOn(tx, ctx, updated!);
      if (removed) followOns.push(removed);
    }
  }
  if (followOns.length) {
    await tx.insert(approvalEvents).values({
      brandId: request.brandId,
      requestId: request.id,
      action: 'follow_ons',
      fromState: step.to,
      toState: step.to,
      actorId: who.id,
      actorName: who.name,
      data: { followOns },
      at: ctx.now,
    });
  }
  return { request: updated!, followOns, notice: step.notice ?? null };
}

/** Amount text such as "59.90" in minor units. */
function cents(value: unknown, field: string): number {
  const text = String(value ?? '').trim();
  if (!/^\d+(\.\d{1,2})?$/.test(text)) throw errors.field(field, 'must be an amount such as 25.00');
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/**
 * The customer whose store credit a request is about: its ticket's customer, else the customer
 * whose email placed its order (`fields.order`, the order number).
 */
async function customerOf(tx: Queryable, request: ApprovalRow): Promise<string> {
  if (request.ticketId) {
    const [t] = await tx
      .select({ customerId: tickets.customerId })
      .from(tickets)
      .where(eq(tickets.id, request.ticketId));
    if (t?.customerId) return t.customerId;
  }
  const number = String(request.fields.order ?? '').trim();
  if (number) {
    const [row] = await tx
      .select({ customerId: customerEmails.customerId })
      .from(orders)
      .innerJoin(
        customerEmails,
        and(
          eq(customerEmails.brandId, orders.brandId),
          eq(customerEmails.email, sql`lower(${orders.customerEmail})`),
        ),
      )
      .where(and(eq(orders.brandId, request.brandId), eq(orders.number, number)))
      .limit(1);
    if (row) return row.customerId;
  }
  throw errors.field(
    'ticketId',
    'the request needs a ticket with a customer, or an order of a known customer, to freeze or remove store credit',
  );
}

/** Freezes the customer's store credit for an approved store credit removal (money). */
async function freezeStoreCreditFollowOn(
  tx: Queryable,
  ctx: RequestContext,
  request: ApprovalRow,
): Promise<StepResult['followOns'][number]> {
  const customerId = await customerOf(tx, request);
  const freeze = await freezeStoreCredit(tx, ctx, {
    brandId: request.brandId,
    customerId,
    reason: `Store credit removal approved (order ${String(request.fields.order ?? '')})`,
    approvalId: request.id,
    ticketId: request.ticketId ?? undefined,
  });
  return {
    kind: 'freezeStoreCredit',
    detail: `Store credit frozen until the removal is done`,
    id: freeze.id,
  };
}

/** Removes the store credit of the removal request this one follows from, and ends its freeze. */
async function removeStoreCreditFollowOn(
  tx: Queryable,
  ctx: RequestContext,
  request: ApprovalRow,
): Promise<StepResult['followOns'][number] | null> {
  if (!request.parentId) return null;
  const [parent] = await tx.select().from(approvalRequests).where(eq(approvalRequests.id, request.parentId));
  if (!parent || parent.fields.store_credit_amount === undefined) return null;
  const customerId = await customerOf(tx, parent);
  const amount = cents(parent.fields.store_credit_amount, 'fields.store_credit_amount');
  const entry = await removeStoreCredit(tx, ctx, {
    brandId: request.brandId,
    customerId,
    amount,
    reason: `Store credit removal (MRR ${request.id})`,
    ticketId: parent.ticketId ?? undefined,
    approvalId: parent.id,
  });
  await unfreezeStoreCredit(tx, ctx, {
    brandId: request.brandId,
    customerId,
    reason: 'Store credit removed; MRR processed',
    approvalId: parent.id,
  });
  return {
    kind: 'removeStoreCredit',
    detail: `Store credit removed (${(amount / 100).toFixed(2)})`,
    id: entry.id,
  };
}

/** The steps the caller may take on a request now (the `allowed` list of the API). */
export function allowedSteps(
  pack: Pack,
  access: BrandAccess,
  request: ApprovalRow,
  userId: string | null,
): string[] {
  const def = pack.manifest.approvals[request.type];
  if (!def) return [];
  const isRequester = userId !== null && userId === request.requestedBy;
  return Object.keys(approvalSteps(def)).filter(
    (s) =>
      stepRefusal(request.type, def, s, request.state, { ...approvalActor(access), isRequester }) === null,
  );
}

/** The approval types the caller's role may see. */
export function viewableTypes(pack: Pack, access: BrandAccess): string[] {
  return Object.entries(pack.manifest.approvals)
    .filter(([name, def]) => canViewApprovals(name, def, approvalActor(access)))
    .map(([name]) => name);
}
