import { and, desc, eq, isNull, lt, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { auditLog } from '../db/schema';
import { requireBrand } from '../policies';
import { presentAuditEntry } from '../presenters';
import { auditEntrySchema, brandParams, errorResponses } from './schemas';

const auditQuery = z.strictObject({
  entityType: z.string().max(64).optional(),
  entityId: z.string().max(128).optional(),
  action: z.string().max(64).optional(),
  actorId: z.uuid({ error: 'must be a UUID' }).optional(),
  before: z.coerce
    .number()
    .int()
    .positive({ error: 'must be an entry id' })
    .optional()
    .describe('Page: entries older than this id'),
  limit: z.coerce.number().int().min(1).max(200, { error: 'must be at most 200' }).default(50),
});

const page = z.object({ data: z.array(auditEntrySchema), nextBefore: z.number().nullable() });

async function readAudit(db: Queryable, scope: SQL, query: z.infer<typeof auditQuery>) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        scope,
        query.entityType ? eq(auditLog.entityType, query.entityType) : undefined,
        query.entityId ? eq(auditLog.entityId, query.entityId) : undefined,
        query.action ? eq(auditLog.action, query.action) : undefined,
        query.actorId ? eq(auditLog.actorId, query.actorId) : undefined,
        query.before ? lt(auditLog.id, query.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit);
  return {
    data: rows.map(presentAuditEntry),
    nextBefore: rows.length === query.limit ? (rows.at(-1)?.id ?? null) : null,
  };
}

export const auditRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/brands/:brandId/audit',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['audit'],
          summary: 'The brand’s audit log, newest first (capability audit.read)',
          params: brandParams,
          querystring: auditQuery,
          response: { 200: page, ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId, 'audit.read');
        return readAudit(db, eq(auditLog.brandId, access.brand.id), request.query);
      },
    );

    app.get(
      '/audit',
      {
        config: { auth: 'org_admin' },
        schema: {
          tags: ['audit'],
          summary: 'Organization-level audit entries (accounts), newest first, for organization admins',
          querystring: auditQuery,
          response: { 200: page, ...errorResponses },
        },
      },
      async (request) => readAudit(db, isNull(auditLog.brandId), request.query),
    );
  };
