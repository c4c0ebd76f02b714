import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Actor, Deps } from '../context';
import { membershipCompanies, memberships, purchaseOrders, roles } from '../db/schema';
import { errors } from '../errors';
import { isUuid } from '../policies';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route is part of the supplier portal: accounts with an external role may call it.
     * `{ purchaseOrder: 'poId' }`: only on a purchase order (the named path parameter) assigned to
     * their company; another company's PO is not found for them.
     */
    external?: boolean | { purchaseOrder: string };
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
  // A person's came with their session.
  if (actor.kind === 'user' && actor.external !== undefined) return actor.external;
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
    if (config?.external === true) return;
    if (config?.external) {
      if (await isExternalActor(deps, request)) {
        const poId = (request.params as Record<string, string | undefined>)[config.external.purchaseOrder];
        await requireCompanyPurchaseOrder(deps, request.actor, poId);
      }
      return;
    }
    if (EXTERNAL_BASE_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) return;
    if (await isExternalActor(deps, request)) {
      throw errors.forbidden('Supplier accounts may use the supplier portal only.');
    }
  };
}

/**
 * Refuses a supplier account a purchase order that is not assigned to the company its membership
 * in the PO's brand is bound to (a supplier's staff work on their own company's POs only). A PO
 * of another company, of a brand they are not in, or none at all is "No such purchase order".
 * A malformed id is left to the route's validation.
 */
async function requireCompanyPurchaseOrder(deps: Deps, actor: Actor, poId: string | undefined) {
  if (poId === undefined || !isUuid(poId)) return;
  if (actor.kind !== 'user') throw errors.notFound('purchase order');
  const [row] = await deps.database.db
    .select({ id: purchaseOrders.id })
    .from(purchaseOrders)
    .innerJoin(
      memberships,
      and(eq(memberships.brandId, purchaseOrders.brandId), eq(memberships.userId, actor.userId)),
    )
    .innerJoin(
      membershipCompanies,
      and(
        eq(membershipCompanies.membershipId, memberships.id),
        eq(membershipCompanies.vendorId, purchaseOrders.vendorId),
      ),
    )
    .where(eq(purchaseOrders.id, poId))
    .limit(1);
  if (!row) throw errors.notFound('purchase order');
}
