import { useMemo } from 'react';
import { Navigate, Outlet } from 'react-router';
import { listMembers, listRoles } from '../api/brandAdmin';
import { listQueues } from '../api/helpdesk';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath } from '../shell/paths';
import { EmptyState } from '../ui/EmptyState';
import { ErrorMessage } from '../ui/ErrorMessage';
import { shortId } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { useResource } from '../ui/useResource';
import { type Agent, type HelpdeskDirectory, HelpdeskDirectoryContext } from './directory';

/**
 * The frame of the helpdesk pages (inbox, ticket, customer): loads the brand's queues and the
 * members who work tickets once, for filters, assignment and history, and shows the page.
 */
export function HelpdeskScope() {
  const brand = useCurrentBrand();
  // A supplier account has no helpdesk: its home is the supplier portal.
  if (brand.role.external) return <Navigate to={brandPath(brand.id, 'supplier')} replace />;
  if (!brand.allowed.includes('tickets.work')) {
    return (
      <>
        <PageHeader title="Inbox" summary={areaById('inbox').summary} />
        <EmptyState title={`Your role in ${brand.name} does not work tickets`}>
          {`As ${brand.role.title} you do not see ${brand.name}’s tickets. Ask a brand admin for a role that works them.`}
        </EmptyState>
      </>
    );
  }
  return <HelpdeskDirectoryLoader brandId={brand.id} />;
}

function HelpdeskDirectoryLoader({ brandId }: { brandId: string }) {
  const queues = useResource((signal) => listQueues(brandId, signal), [brandId]);
  const agents = useResource((signal) => loadAgents(brandId, signal), [brandId]);

  const directory = useMemo<HelpdeskDirectory | null>(() => {
    if (!queues.data || !agents.data) return null;
    const queueList = queues.data;
    const agentList = agents.data;
    return {
      queues: queueList,
      agents: agentList,
      nameOf: (userId) => {
        if (!userId) return 'nobody';
        return agentList.find((a) => a.id === userId)?.name ?? shortId(userId);
      },
      queueTitle: (nameOrId) => {
        if (!nameOrId) return 'no queue';
        const queue = queueList.find((q) => q.name === nameOrId || q.id === nameOrId);
        return queue?.title ?? nameOrId;
      },
    };
  }, [queues.data, agents.data]);

  const error = queues.error ?? agents.error;
  if (!directory) {
    return error ? (
      <ErrorMessage error={error} />
    ) : (
      <p className="muted" role="status">
        Loading the helpdesk…
      </p>
    );
  }
  return (
    <HelpdeskDirectoryContext value={directory}>
      <Outlet />
    </HelpdeskDirectoryContext>
  );
}

/** The brand's members whose role works tickets (the people tickets can be assigned to). */
export async function loadAgents(brandId: string, signal: AbortSignal): Promise<Agent[]> {
  const [members, roles] = await Promise.all([listMembers(brandId, signal), listRoles(brandId, signal)]);
  const working = new Set(roles.filter((r) => r.capabilities.includes('tickets.work')).map((r) => r.name));
  return members
    .filter((m) => working.has(m.role.name) && !m.user.disabled)
    .map((m) => ({ id: m.user.id, name: m.user.name, email: m.user.email }));
}
