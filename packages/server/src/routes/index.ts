import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../context';
import { externalFence } from '../trackers/fence';
import { adviceRoutes } from './advice';
import { apiTokenRoutes } from './apiTokens';
import { approvalRoutes } from './approvals';
import { auditRoutes } from './audit';
import { authRoutes } from './auth';
import { boardRoutes } from './boards';
import { brandRoutes } from './brands';
import { contactFormRoutes } from './contactForm';
import { customerRoutes } from './customers';
import { healthRoutes } from './health';
import { helpdeskAdminRoutes } from './helpdeskAdmin';
import { helpdeskMetaRoutes } from './helpdeskMeta';
import { liveRoutes } from './live';
import { memberRoutes } from './members';
import { metaRoutes } from './meta';
import { moneyRoutes } from './money';
import { notificationRoutes } from './notifications';
import { orderActivityRoutes } from './orderActivity';
import { orderImportRoutes } from './orderImport';
import { orderRoutes } from './orders';
import { reportRoutes } from './reports';
import { roleRoutes } from './roles';
import { searchRoutes } from './search';
import { shipmentRoutes } from './shipments';
import { sideConversationRoutes } from './sideConversations';
import { sopAskRoutes } from './sopAsk';
import { ticketSopRoutes } from './ticketSop';
import { ticketRoutes } from './tickets';
import { trackerRoutes } from './trackers';
import { trackingImportRoutes } from './trackingImport';
import { trainingRoutes } from './training';
import { userRoutes } from './users';
import { vendorRoutes } from './vendors';
import { warrantyRoutes } from './warranty';
import { webhookRoutes } from './webhooks';
import { worklogRoutes } from './worklog';

/** Every API route, mounted under /api/v1. */
export function registerRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    // Supplier accounts reach only the supplier portal's routes (trackers/fence.ts).
    app.addHook('onRequest', externalFence(deps));
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
      orderActivityRoutes,
      shipmentRoutes,
      moneyRoutes,
      warrantyRoutes,
      trackingImportRoutes,
      orderImportRoutes,
      vendorRoutes,
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
      approvalRoutes,
      boardRoutes,
      notificationRoutes,
      trackerRoutes,
      trainingRoutes,
      sopAskRoutes,
      reportRoutes,
      worklogRoutes,
    ]) {
      await app.register(routes(deps));
    }
  };
}
