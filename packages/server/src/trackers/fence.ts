import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../context';
import { memberships, roles } from '../db/schema';
import { errors } from '../errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route is part of the supplier portal: accounts with an external role may call it. */
    external?: boolean;
  }
}

/**
 * Routes of other areas an account with an external role still needs: its own session, password
 * and the brands it belongs to (with its allowed actions). Everything else of theirs is refused.
 */
export const EXTERNAL_BASE_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/v1/auth/session',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
  'GET /api/v1/brands',
  'GET /api/v1/brands/:brandId',
]);

/**
 * Whether the actor holds an external role (a supplier's staff) in any brand, or is an API token
 * bound to one. Such an account is a supplier account everywhere: people who also work for the
 * brand use a separate account.
 */
export async function isExternalActor(deps: Deps, request: FastifyRequest): Promise<boolean> {
  const actor = request.actor;
  if (!actor || actor.kind === 'system') return false;
  // A token's role came with the token.
  if (actor.kind === 'api_token' && actor.grant) return actor.grant.role.external;
  const { db } = deps.database;
  const rows =
    actor.kind === 'user'
      ? await db
          .select({ one: roles.id })
          .from(memberships)
          .innerJoin(roles, eq(roles.id, memberships.roleId))
          .where(and(eq(memberships.userId, actor.userId), eq(roles.external, true)))
          .limit(1)
      : await db
          .select({ one: roles.id })
          .from(roles)
          .where(and(eq(roles.id, actor.roleId), eq(roles.external, true)))
          .limit(1);
  return rows.length > 0;
}

/**
 * Deny by default for supplier accounts: they may call only the supplier portal's routes (those
 * declaring `config.external`) and the few base routes above, whatever capabilities their role
 * holds. Each portal route then scopes what it returns to the member's company.
 */
export function externalFence(deps: Deps) {
  return async (request: FastifyRequest) => {
    if (!request.actor) return;
    const config = request.routeOptions.config;
    if (config?.external) return;
    if (EXTERNAL_BASE_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) return;
    if (await isExternalActor(deps, request)) {
      throw errors.forbidden('Supplier accounts may use the supplier portal only.');
    }
  };
}
