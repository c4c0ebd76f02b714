import { type SQL, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import { errors } from '../errors';
import { requireBrand } from '../policies';
import { rowsOf } from '../tickets/commands';
import { brandParams, errorResponses } from './schemas';

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

type Hit = {
  ticket_id: string;
  message_id: string;
  number: number;
  subject: string;
  status: string;
  kind: string;
  created_at: Date | string;
  snippet: string;
};

/** Marks the highlighted words with characters that cannot occur in stored text, escaped later by the client. */
const START = '\u0002';
const STOP = '\u0003';

export const searchRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/brands/:brandId/search',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['tickets'],
          summary:
            'Full-text search over ticket subjects, messages and notes (web-search syntax: words, "phrases", -exclusions, or), newest first, with highlighted snippets',
          params: brandParams,
          querystring: z.strictObject({
            q: z.string().trim().min(2, { error: 'must be at least 2 characters' }).max(200),
            status: z.string().max(500).optional().describe('Comma-separated statuses'),
            queue: z.string().max(200).optional(),
            assignee: z.string().max(64).optional().describe('"me", "none" or a user id'),
            tag: z.string().max(64).optional(),
            from: instant.optional().describe('Messages written at or after'),
            to: instant.optional().describe('Messages written before'),
            limit: z.coerce.number().int().min(1).max(100).default(25),
          }),
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  ticketId: z.uuid(),
                  number: z.number(),
                  subject: z.string(),
                  status: z.string(),
                  matches: z.array(
                    z.object({
                      messageId: z.uuid(),
                      kind: z.string(),
                      at: z.string(),
                      snippet: z
                        .array(z.object({ text: z.string(), hit: z.boolean() }))
                        .describe('The snippet in parts; hit parts matched the query'),
                    }),
                  ),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { actor } = contextOf(request);
        const access = await requireBrand(db, actor, request.params.brandId, 'tickets.work');
        const q = request.query;
        const filters = [sql`m.brand_id = ${access.brand.id}`];
        // Ticket filters need the ticket; without them the newest matches are found on messages alone.
        const ticketFilters: SQL[] = [];
        if (q.status)
          ticketFilters.push(
            sql`t.status = any(${sql.param(q.status.split(',').map((s) => s.trim()))}::text[])`,
          );
        if (q.queue)
          ticketFilters.push(
            sql`t.queue_id = (select id from queues where brand_id = ${access.brand.id} and name = ${q.queue})`,
          );
        if (q.assignee === 'none') ticketFilters.push(sql`t.assignee_id is null`);
        else if (q.assignee === 'me')
          ticketFilters.push(sql`t.assignee_id = ${actor.kind === 'user' ? actor.userId : null}`);
        else if (q.assignee) {
          if (!/^[0-9a-f-]{36}$/i.test(q.assignee)) {
            throw errors.validation([
              { field: 'assignee', in: 'query', problem: 'must be "me", "none" or a user id' },
            ]);
          }
          ticketFilters.push(sql`t.assignee_id = ${q.assignee}`);
        }
        if (q.tag) ticketFilters.push(sql`t.tags @> array[${q.tag.toLowerCase()}]::text[]`);
        if (q.from) filters.push(sql`m.created_at >= ${new Date(q.from)}`);
        if (q.to) filters.push(sql`m.created_at < ${new Date(q.to)}`);
        // The query is written inline (not in a CTE) so the planner sees how selective it is: a
        // rare word goes through the text index, a common one walks (brand_id, created_at) newest
        // first and stops at the page. The snippet is made only for the page shown; a control character
        // after each '<' (removed again after) keeps the text parser from reading mail text as tags.
        const tsquery = sql`websearch_to_tsquery('english', ${q.q})`;
        const rows = rowsOf<Hit>(
          await db.execute(sql`
            select h.ticket_id, h.message_id, t.number, t.subject, t.status, h.kind, h.created_at,
              replace(ts_headline('english',
                replace(coalesce(h.message_subject, '') || ' ' || left(h.body_text, 20000), '<', '<' || chr(1)), ${tsquery},
                ${`StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}), chr(1), '') as snippet
            from (
              select m.id as message_id, m.ticket_id, m.kind, m.created_at, m.body_text, m.subject as message_subject
              from messages m ${ticketFilters.length ? sql`join tickets t on t.id = m.ticket_id` : sql``}
              where m.search @@ ${tsquery} and ${sql.join([...filters, ...ticketFilters], sql` and `)}
              order by m.created_at desc
              limit ${q.limit * 4}
            ) h join tickets t on t.id = h.ticket_id
            order by h.created_at desc`),
        );
        const tickets = new Map<
          string,
          { ticketId: string; number: number; subject: string; status: string; matches: unknown[] }
        >();
        for (const row of rows) {
          let entry = tickets.get(row.ticket_id);
          if (!entry) {
            if (tickets.size >= q.limit) continue;
            entry = {
              ticketId: row.ticket_id,
              number: Number(row.number),
              subject: row.subject,
              status: row.status,
              matches: [],
            };
            tickets.set(row.ticket_id, entry);
          }
          if (entry.matches.length < 3) {
            entry.matches.push({
              messageId: row.message_id,
              kind: row.kind,
              at: new Date(row.created_at).toISOString(),
              snippet: splitSnippet(row.snippet),
            });
          }
        }
        return { data: [...tickets.values()] as never };
      },
    );
  };

/** Splits a headline into plain and highlighted parts, so the client never renders HTML from it. */
export function splitSnippet(snippet: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  for (const piece of snippet.split(START)) {
    const stop = piece.indexOf(STOP);
    if (stop === -1) {
      if (piece) parts.push({ text: piece, hit: false });
      continue;
    }
    parts.push({ text: piece.slice(0, stop), hit: true });
    if (piece.slice(stop + 1)) parts.push({ text: piece.slice(stop + 1), hit: false });
  }
  return parts;
}
