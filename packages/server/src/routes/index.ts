import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../context';
import { adviceRoutes } from './advice';
import { apiTokenRoutes } from './apiTokens';
import { auditRoutes } from './audit';
import { authRoutes } from './auth';
import { brandRoutes } from './brands';
import { contactFormRoutes } from './contactForm';
import { customerRoutes } from './customers';
import { healthRoutes } from './health';
import { helpdeskAdminRoutes } from './helpdeskAdmin';
import { helpdeskMetaRoutes } from './helpdeskMeta';
import { liveRoutes } from './live';
import { memberRoutes } from './members';
import { metaRoutes } from './meta';
import { orderRoutes } from './orders';
import { roleRoutes } from './roles';
import { searchRoutes } from './search';
import { shipmentRoutes } from './shipments';
import { sideConversationRoutes } from './sideConversations';
import { ticketSopRoutes } from './ticketSop';
import { ticketRoutes } from './tickets';
import { userRoutes } from './users';
import { webhookRoutes } from './webhooks';

/** Every API route, mounted under /api/v1. */
export function registerRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    for (const routes of [
      healthRoutes,
      authRoutes,
      userRoutes,
      brandRoutes,
      memberRoutes,
      roleRoutes,
      apiTokenRoutes,
      auditRoutes,
      adviceRoutes,
      orderRoutes,
      shipmentRoutes,
      webhookRoutes,
      ticketRoutes,
      sideConversationRoutes,
      ticketSopRoutes,
      customerRoutes,
      helpdeskAdminRoutes,
      liveRoutes,
      searchRoutes,
      contactFormRoutes,
      helpdeskMetaRoutes,
      metaRoutes,
    ]) {
      await app.register(routes(deps));
    }
  };
}
