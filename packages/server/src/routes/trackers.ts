import { and, eq, isNull, or } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { audit } from '../audit';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { tickets, trackerEvidence, trackerRecords, trackerViews } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, requireBrand, requireBrandOf } from '../policies';
import {
  permissionsFor,
  requireType,
  type TrackerAccess,
  trackerAccess,
  visibleTypes,
} from '../trackers/access';
import {
  addComment,
  addEvidence,
  createRecord,
  linkRecord,
  moveRecord,
  recordFor,
  recordIdsOfTicket,
  updateRecordFields,
} from '../trackers/commands';
import { linkTargetByNumber } from '../trackers/linkRefs';
import {
  listRecords,
  presentRecord,
  presentSummary,
  type RecordFilters,
  recordConditions,
  recordOrder,
  recordsCsv,
} from '../trackers/query';
import {
  answerSideConversation,
  bindCompany,
  supplierPurchaseOrders,
  supplierSideConversation,
  supplierSideConversations,
} from '../trackers/supplier';
import { brandParams, errorResponses, uuidParam } from './schemas';

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);
const typeName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a tracker type name' });
const fieldValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
const manyStrings = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? undefined : [v].flat()));

const filtersQuery = {
  state: manyStrings.describe('Only records in these states (repeat the parameter for several)'),
  q: z.string().max(200).optional().describe('Text anywhere in the field values'),
  from: z.string().max(40).optional().describe('Logged on or after this date (YYYY-MM-DD) or instant'),
  to: z
    .string()
    .max(40)
    .optional()
    .describe('Logged on or before this date (YYYY-MM-DD) or before this instant'),
  field: manyStrings.describe(
    'name:value — choice, number, date and yes/no fields match exactly, text contains',
  ),
  sort: z
    .string()
    .max(80)
    .default('-created')
    .describe('created, updated, number, state or field.<name>; - for descending'),
};

const summarySchema = z.object({
  id: z.uuid(),
  type: z.string(),
  number: z.number(),
  label: z.string(),
  state: z.string(),
  final: z.boolean(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  raisedByTrend: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});

const recordSchema = summarySchema.extend({
  title: z.string(),
  nextStates: z.array(z.string()),
  links: z.array(z.object({ kind: z.string(), id: z.string(), label: z.string() })),
  comments: z.array(z.object({ id: z.uuid(), author: z.string(), body: z.string(), createdAt: z.string() })),
  evidence: z.array(
    z.object({
      id: z.uuid(),
      album: z.string(),
      filename: z.string(),
      contentType: z.string(),
      size: z.number(),
      uploadedBy: z.string(),
      createdAt: z.string(),
    }),
  ),
  history: z.array(
    z.object({ id: z.number(), kind: z.string(), by: z.string(), data: z.unknown(), at: z.string() }),
  ),
  allowed: z.array(z.string()).describe('What the caller may do: update, move, comment, add_evidence, link'),
});

const typeSchema = z.object({
  type: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      label: z.string(),
      required: z.boolean(),
      options: z.array(z.string()).nullable(),
    }),
  ),
  states: z.array(z.string()),
  roles: z.object({ log: z.array(z.string()), read: z.array(z.string()), resolve: z.array(z.string()) }),
  allowed: z.array(z.enum(['log', 'resolve'])),
});

const viewSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  name: z.string(),
  shared: z.boolean(),
  filters: z.record(z.string(), z.unknown()),
  sort: z.string(),
  allowed: z
    .array(z.enum(['delete']))
    .describe('delete: your own view, or a shared one you shared or may manage (helpdesk.manage)'),
});

const typeParams = brandParams.extend({ type: typeName });
const recordParams = z.strictObject({ recordId: uuidParam('recordId') });
const recordResponse = z.object({ data: recordSchema });
const IMAGE_OR_PDF = /^(image\/(png|jpeg|gif|webp|heic|heif)|application\/pdf)$/;
const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

function presentType(access: TrackerAccess, type: string) {
  const def = access.pack.manifest.trackers[type]!;
  const p = permissionsFor(access, type);
  return {
    type,
    title: def.title,
    description: def.description ?? null,
    fields: Object.entries(def.fields).map(([name, f]) => ({
      name,
      type: f.type,
      label: f.label ?? name.replaceAll('_', ' '),
      required: f.required,
      options: f.options ?? null,
    })),
    states: def.states,
    roles: { log: def.log, read: def.read, resolve: def.resolve },
    allowed: [...(p.log ? (['log'] as const) : []), ...(p.resolve ? (['resolve'] as const) : [])],
  };
}

export const trackerRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const withPack = (q: Queryable, access: BrandAccess) =>
      trackerAccess(q, access, deps.packs.get(access.brand.packId)!);
    const brandAccess = async (
      q: Queryable,
      request: { params: { brandId: string } } & Parameters<typeof contextOf>[0],
    ) => withPack(q, await requireBrand(q, contextOf(request).actor, request.params.brandId));
    /** Access to the brand of a record addressed by its own id; missing and invisible are both not found. */
    const recordAccess = async (q: Queryable, request: Parameters<typeof contextOf>[0], recordId: string) => {
      const [row] = await q
        .select({ brandId: trackerRecords.brandId })
        .from(trackerRecords)
        .where(eq(trackerRecords.id, recordId));
      return withPack(q, await requireBrandOf(q, contextOf(request).actor, row?.brandId, 'record'));
    };
    const external = { auth: 'actor' as const, external: true };

    app.get(
      '/brands/:brandId/trackers',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary: 'The tracker record types of the brand’s pack the caller may see, with what they may do',
          params: brandParams,
          response: { 200: z.object({ data: z.array(typeSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await brandAccess(db, request);
        return { data: visibleTypes(access).map((t) => presentType(access, t)) };
      },
    );

    app.get(
      '/brands/:brandId/trackers/:type/records',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary: 'A tracker table: records of one type, filtered and sorted',
          params: typeParams,
          querystring: z.strictObject({
            ...filtersQuery,
            limit: z.coerce.number().int().min(1).max(500, { error: 'must be at most 500' }).default(100),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: {
            200: z.object({ data: z.array(summarySchema), total: z.number(), type: typeSchema }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await brandAccess(db, request);
        const { type } = request.params;
        const def = requireType(access, type);
        const { sort, limit, offset, ...filters } = request.query;
        const { rows, total } = await listRecords(db, access, type, def, filters, sort, { limit, offset });
        return { data: rows.map((r) => presentSummary(access, r)), total, type: presentType(access, type) };
      },
    );

    app.get(
      '/brands/:brandId/trackers/:type/export.csv',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary:
            'The tracker table as CSV (same filters); cells a spreadsheet would run as formulas are neutralised',
          params: typeParams,
          querystring: z.strictObject(filtersQuery),
        },
      },
      async (request, reply) => {
        const access = await brandAccess(db, request);
        const { type } = request.params;
        const def = requireType(access, type);
        const { sort, ...filters } = request.query;
        const rows = await db
          .select()
          .from(trackerRecords)
          .where(recordConditions(access, type, def, filters))
          .orderBy(...recordOrder(def, sort))
          .limit(50_000);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${type}-${request.now.toISOString().slice(0, 10)}.csv"`,
          )
          .send(recordsCsv(def, rows));
      },
    );

    app.post(
      '/brands/:brandId/trackers/:type/records',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary:
            'Logs a record of a type (roles in the type’s log list); with ticketId, from a ticket in one step. Order and PO fields link the record',
          params: typeParams,
          body: z.strictObject({
            fields: z.record(z.string(), fieldValue),
            ticketId: uuidParam('ticketId').optional(),
            state: z.string().max(200).optional().describe('The first state; default: the type’s first'),
          }),
          response: {
            201: z.object({
              data: recordSchema,
              raised: summarySchema.nullable().describe('A record trend detection raised'),
            }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access, record, raised } = await db.transaction(async (tx) => {
          const access = await brandAccess(tx, request);
          return { access, ...(await createRecord(tx, ctx, access, request.params.type, request.body)) };
        });
        return reply.status(201).send({
          data: await presentRecord(db, access, record),
          raised: raised && permissionsFor(access, raised.type).see ? presentSummary(access, raised) : null,
        });
      },
    );

    app.get(
      '/tracker-records/:recordId',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary: 'One record with its links, comments, evidence and history',
          params: recordParams,
          response: { 200: recordResponse, ...errorResponses },
        },
      },
      async (request) => {
        const access = await recordAccess(db, request, request.params.recordId);
        const record = await recordFor(db, access, request.params.recordId);
        return { data: await presentRecord(db, access, record) };
      },
    );

    app.patch(
      '/tracker-records/:recordId',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary: 'Changes field values (roles that log or resolve the type); null clears a field',
          params: recordParams,
          body: z.strictObject({
            fields: z.record(z.string(), fieldValue),
            version: z
              .int()
              .min(1)
              .optional()
              .describe('The version you loaded; a stale one is refused with 409'),
          }),
          response: { 200: recordResponse, ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { access, record } = await db.transaction(async (tx) => {
          const access = await recordAccess(tx, request, request.params.recordId);
          return {
            access,
            record: await updateRecordFields(tx, ctx, access, request.params.recordId, request.body),
          };
        });
        return { data: await presentRecord(db, access, record) };
      },
    );

    app.post(
      '/tracker-records/:recordId/state',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary:
            'Moves a record to another state (roles in the type’s resolve list, along its allowed moves)',
          params: recordParams,
          body: z.strictObject({
            state: text(200),
            note: z.string().trim().max(5000).optional(),
            version: z.int().min(1).optional(),
          }),
          response: { 200: recordResponse, ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { access, record } = await db.transaction(async (tx) => {
          const access = await recordAccess(tx, request, request.params.recordId);
          return { access, record: await moveRecord(tx, ctx, access, request.params.recordId, request.body) };
        });
        return { data: await presentRecord(db, access, record) };
      },
    );

    app.post(
      '/tracker-records/:recordId/comments',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary: 'Comments on a record (anyone who sees it)',
          params: recordParams,
          body: z.strictObject({ body: text(10_000) }),
          response: { 201: recordResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access } = await db.transaction(async (tx) => {
          const access = await recordAccess(tx, request, request.params.recordId);
          await addComment(tx, ctx, access, request.params.recordId, request.body.body);
          return { access };
        });
        const record = await recordFor(db, access, request.params.recordId);
        return reply.status(201).send({ data: await presentRecord(db, access, record) });
      },
    );

    app.post(
      '/tracker-records/:recordId/evidence',
      {
        config: external,
        bodyLimit: 16 * 1024 * 1024,
        schema: {
          tags: ['trackers'],
          summary: 'Uploads photos (or PDFs) proving the issue into one of the record’s albums',
          params: recordParams,
          body: z.strictObject({
            album: text(120).default('Proof'),
            files: z
              .array(
                z.strictObject({
                  filename: text(200),
                  contentType: z
                    .string()
                    .regex(IMAGE_OR_PDF, { error: 'must be a photo (PNG, JPEG, GIF, WebP, HEIC) or a PDF' }),
                  contentBase64: z.string().min(1, { error: 'must not be empty' }),
                }),
              )
              .min(1, { error: 'needs at least one file' })
              .max(20, { error: 'at most 20 files at once' }),
          }),
          response: { 201: recordResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const files = request.body.files.map((f, i) => {
          const content = Buffer.from(f.contentBase64, 'base64');
          if (!content.length)
            throw errors.validation([
              { field: `files.${i}.contentBase64`, in: 'body', problem: 'must be base64' },
            ]);
          if (content.length > MAX_EVIDENCE_BYTES)
            throw errors.validation([{ field: `files.${i}`, in: 'body', problem: 'must be at most 10 MB' }]);
          return { filename: f.filename, contentType: f.contentType, content };
        });
        const { access } = await db.transaction(async (tx) => {
          const access = await recordAccess(tx, request, request.params.recordId);
          await addEvidence(tx, ctx, access, request.params.recordId, request.body.album, files);
          return { access };
        });
        const record = await recordFor(db, access, request.params.recordId);
        return reply.status(201).send({ data: await presentRecord(db, access, record) });
      },
    );

    app.get(
      '/tracker-evidence/:evidenceId',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary: 'Downloads a piece of evidence (always as a download, never rendered in the app’s origin)',
          params: z.strictObject({ evidenceId: uuidParam('evidenceId') }),
        },
      },
      async (request, reply) => {
        const [row] = await db
          .select()
          .from(trackerEvidence)
          .where(eq(trackerEvidence.id, request.params.evidenceId));
        const access = await withPack(
          db,
          await requireBrandOf(db, contextOf(request).actor, row?.brandId, 'evidence'),
        );
        try {
          await recordFor(db, access, row!.recordId);
        } catch {
          throw errors.notFound('evidence');
        }
        const safeName = row!.filename.replace(/[^\w.\- ]+/g, '_');
        return reply
          .header('content-type', 'application/octet-stream')
          .header(
            'content-disposition',
            `attachment; filename="${safeName}"; filename*=UTF-8''${encodeURIComponent(row!.filename)}`,
          )
          .header('content-security-policy', "sandbox; default-src 'none'")
          .send(row!.content);
      },
    );

    app.post(
      '/tracker-records/:recordId/links',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary:
            'Links a record to a ticket, order, purchase order or another record of the brand, by its id or its number',
          params: recordParams,
          body: z
            .strictObject({
              kind: z.enum(['ticket', 'order', 'po', 'record']),
              id: uuidParam('id').optional(),
              number: z
                .string()
                .trim()
                .min(1, { error: 'must not be empty' })
                .max(64)
                .optional()
                .describe('The order, PO, ticket or record number, instead of the id'),
            })
            .refine((b) => (b.id === undefined) !== (b.number === undefined), {
              path: ['id'],
              error: 'give the id or the number of what to link, not both',
            }),
          response: { 201: recordResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access } = await db.transaction(async (tx) => {
          const access = await recordAccess(tx, request, request.params.recordId);
          const { kind, id, number } = request.body;
          const targetId = id ?? (await linkTargetByNumber(tx, access.brand.id, kind, number!));
          await linkRecord(tx, ctx, access, request.params.recordId, { kind, id: targetId });
          return { access };
        });
        const record = await recordFor(db, access, request.params.recordId);
        return reply.status(201).send({ data: await presentRecord(db, access, record) });
      },
    );

    app.get(
      '/tickets/:ticketId/records',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['trackers'],
          summary: 'The tracker records linked to a ticket that the caller may see (capability tickets.work)',
          params: z.strictObject({ ticketId: uuidParam('ticketId') }),
          response: {
            200: z.object({
              data: z.array(summarySchema.extend({ title: z.string() })),
              types: z.array(typeSchema),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const [ticket] = await db
          .select({ brandId: tickets.brandId })
          .from(tickets)
          .where(eq(tickets.id, request.params.ticketId));
        const access = await withPack(
          db,
          await requireBrandOf(db, contextOf(request).actor, ticket?.brandId, 'ticket', 'tickets.work'),
        );
        const ids = await recordIdsOfTicket(db, access.brand.id, request.params.ticketId);
        const rows = ids.length
          ? await Promise.all(ids.map((id) => recordFor(db, access, id).catch(() => null)))
          : [];
        const visible = rows
          .filter((r) => r !== null)
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
        return {
          data: visible.map((r) => ({
            ...presentSummary(access, r),
            title: access.pack.manifest.trackers[r.type]!.title,
          })),
          types: visibleTypes(access).map((t) => presentType(access, t)),
        };
      },
    );

    app.get(
      '/brands/:brandId/trackers/:type/views',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary: 'Saved views of a tracker table: the brand’s shared ones and the caller’s own',
          params: typeParams,
          response: { 200: z.object({ data: z.array(viewSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await brandAccess(db, request);
        requireType(access, request.params.type);
        const userId = access.actor.kind === 'user' ? access.actor.userId : null;
        const rows = await db
          .select()
          .from(trackerViews)
          .where(
            and(
              eq(trackerViews.brandId, access.brand.id),
              eq(trackerViews.type, request.params.type),
              userId
                ? or(isNull(trackerViews.userId), eq(trackerViews.userId, userId))
                : isNull(trackerViews.userId),
            ),
          )
          .orderBy(trackerViews.name);
        return { data: rows.map((r) => presentView(r, viewActions(access, r))) };
      },
    );

    app.post(
      '/brands/:brandId/trackers/:type/views',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary: 'Saves a tracker view (shared views: roles that resolve the type)',
          params: typeParams,
          body: z.strictObject({
            name: text(120),
            shared: z.boolean().default(false),
            filters: z
              .strictObject({
                state: z.array(z.string().max(200)).optional(),
                q: z.string().max(200).optional(),
                from: z.string().max(40).optional(),
                to: z.string().max(40).optional(),
                field: z.array(z.string().max(400)).optional(),
              })
              .default({}),
            sort: z.string().max(80).default('-created'),
          }),
          response: { 201: z.object({ data: viewSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const view = await db.transaction(async (tx) => {
          const access = await brandAccess(tx, request);
          const { type } = request.params;
          const def = requireType(access, type);
          const { name, shared, filters, sort } = request.body;
          if (shared && !permissionsFor(access, type).resolve)
            throw errors.forbidden(`Only roles that resolve ${def.title} records may share views of it.`);
          if (!shared && access.actor.kind !== 'user')
            throw errors.field('shared', 'an integration may only save shared views');
          // Checks the filters and sort now, so a saved view always loads.
          recordConditions(access, type, def, filters as RecordFilters);
          recordOrder(def, sort);
          const [row] = await tx
            .insert(trackerViews)
            .values({
              brandId: access.brand.id,
              type,
              userId: shared || access.actor.kind !== 'user' ? null : access.actor.userId,
              createdBy: access.actor.kind === 'user' ? access.actor.userId : null,
              name,
              filters,
              sort,
              createdAt: ctx.now,
            })
            .returning();
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'tracker_view',
            entityId: row!.id,
            action: 'create',
            after: { type, name, shared, filters, sort },
          });
          return row!;
        });
        // The one who saved it may delete it, shared or not.
        return reply.status(201).send({ data: presentView(view, ['delete']) });
      },
    );

    app.delete(
      '/tracker-views/:viewId',
      {
        config: external,
        schema: {
          tags: ['trackers'],
          summary:
            'Deletes a saved tracker view (your own; a shared one: the person who shared it, or capability helpdesk.manage)',
          params: z.strictObject({ viewId: uuidParam('viewId') }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        await db.transaction(async (tx) => {
          const [view] = await tx
            .select()
            .from(trackerViews)
            .where(eq(trackerViews.id, request.params.viewId));
          const access = await withPack(tx, await requireBrandOf(tx, ctx.actor, view?.brandId, 'view'));
          const userId = access.actor.kind === 'user' ? access.actor.userId : null;
          if (!permissionsFor(access, view!.type).see || (view!.userId !== null && view!.userId !== userId))
            throw errors.notFound('view');
          if (view!.userId === null && viewActions(access, view!).length === 0)
            throw errors.forbidden(
              'Only the person who shared this view, or a role with helpdesk.manage, may delete it.',
            );
          await tx.delete(trackerViews).where(eq(trackerViews.id, view!.id));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'tracker_view',
            entityId: view!.id,
            action: 'delete',
            before: { type: view!.type, name: view!.name },
          });
        });
        return reply.status(204).send(null);
      },
    );

    // The supplier portal.

    app.get(
      '/brands/:brandId/supplier/purchase-orders',
      {
        config: external,
        schema: {
          tags: ['supplier'],
          summary: 'The purchase orders assigned to the caller’s supplier company',
          params: brandParams,
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  id: z.uuid(),
                  number: z.string(),
                  orderNumber: z.string(),
                  vendor: z.string(),
                  status: z.string(),
                  createdAt: z.string(),
                  items: z.array(
                    z.object({
                      sku: z.string(),
                      qty: z.number(),
                      shippedQty: z.number(),
                      outOfStock: z.boolean(),
                    }),
                  ),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => ({ data: await supplierPurchaseOrders(db, await brandAccess(db, request)) }),
    );

    const supplierSideSchema = z.object({
      id: z.uuid(),
      subject: z.string(),
      status: z.string(),
      updatedAt: z.string(),
      messages: z.array(
        z.object({
          id: z.uuid(),
          from: z.enum(['brand', 'supplier']),
          name: z.string().nullable(),
          body: z.string(),
          createdAt: z.string(),
        }),
      ),
    });

    app.get(
      '/brands/:brandId/supplier/side-conversations',
      {
        config: external,
        schema: {
          tags: ['supplier'],
          summary:
            'The side conversations the brand opened with the caller’s supplier company (replies only)',
          params: brandParams,
          response: { 200: z.object({ data: z.array(supplierSideSchema) }), ...errorResponses },
        },
      },
      async (request) => ({ data: await supplierSideConversations(db, await brandAccess(db, request)) }),
    );

    app.get(
      '/brands/:brandId/supplier/side-conversations/:sideConversationId',
      {
        config: external,
        schema: {
          tags: ['supplier'],
          summary: 'One side conversation with the caller’s supplier company',
          params: brandParams.extend({ sideConversationId: uuidParam('sideConversationId') }),
          response: { 200: z.object({ data: supplierSideSchema }), ...errorResponses },
        },
      },
      async (request) => ({
        data: await supplierSideConversation(
          db,
          await brandAccess(db, request),
          request.params.sideConversationId,
        ),
      }),
    );

    app.post(
      '/brands/:brandId/supplier/side-conversations/:sideConversationId/messages',
      {
        config: external,
        schema: {
          tags: ['supplier'],
          summary: 'The supplier answers a side conversation; the answer lands on the brand’s ticket',
          params: brandParams.extend({ sideConversationId: uuidParam('sideConversationId') }),
          body: z.strictObject({ body: text(20_000) }),
          response: { 201: z.object({ data: supplierSideSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const data = await db.transaction(async (tx) =>
          answerSideConversation(
            tx,
            ctx,
            await brandAccess(tx, request),
            request.params.sideConversationId,
            request.body.body,
          ),
        );
        return reply.status(201).send({ data });
      },
    );

    app.put(
      '/brands/:brandId/supplier-accounts/:membershipId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['supplier'],
          summary:
            'Binds a member to the supplier company (a vendor of the brand) they work for (capability members.manage)',
          params: brandParams.extend({ membershipId: uuidParam('membershipId') }),
          body: z.strictObject({ vendor: text(200).nullable().describe('The vendor’s name; null unbinds') }),
          response: {
            200: z.object({ data: z.object({ membershipId: z.uuid(), vendor: z.string().nullable() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const data = await db.transaction(async (tx) => {
          const access = await withPack(
            tx,
            await requireBrand(tx, ctx.actor, request.params.brandId, 'members.manage'),
          );
          return bindCompany(tx, ctx, access, request.params.membershipId, request.body.vendor);
        });
        return { data };
      },
    );
  };

function presentView(v: typeof trackerViews.$inferSelect, allowed: 'delete'[]) {
  return {
    id: v.id,
    type: v.type,
    name: v.name,
    shared: v.userId === null,
    filters: v.filters as Record<string, unknown>,
    sort: v.sort,
    allowed,
  };
}

/** A view's actions: one's own views, and shared ones for who shared them or helpdesk.manage. */
function viewActions(access: TrackerAccess, view: typeof trackerViews.$inferSelect): 'delete'[] {
  const userId = access.actor.kind === 'user' ? access.actor.userId : null;
  if (view.userId !== null) return view.userId === userId ? ['delete'] : [];
  return access.role.capabilities.has('helpdesk.manage') || (userId !== null && view.createdBy === userId)
    ? ['delete']
    : [];
}
