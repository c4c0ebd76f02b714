import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../context';
import { migrationState } from '../db/migrate';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({
    kind: z.enum(['embedded', 'postgres']),
    reachable: z.boolean(),
    migrations: z.object({
      available: z.number(),
      applied: z.number(),
      pending: z.array(z.string()),
      latest: z.string().nullable(),
    }),
  }),
  packs: z.array(z.object({ id: z.string(), version: z.string() })),
  time: z.string(),
});

export const healthRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/health',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Reports whether the server and its database are working, and the migration state',
          response: {
            200: healthSchema,
            503: healthSchema,
          },
        },
      },
      async (request, reply) => {
        let reachable = true;
        try {
          await deps.database.db.execute(sql`select 1`);
        } catch {
          reachable = false;
        }
        const migrations = reachable
          ? await migrationState(deps.database)
          : { available: 0, applied: 0, pending: [], latest: null };
        const ok = reachable && migrations.pending.length === 0;
        if (!ok) reply.status(503);
        return {
          status: ok ? ('ok' as const) : ('degraded' as const),
          database: { kind: deps.database.kind, reachable, migrations },
          packs: deps.packs.list().map((p) => ({ id: p.manifest.id, version: p.manifest.version })),
          time: request.now.toISOString(),
        };
      },
    );
  };
