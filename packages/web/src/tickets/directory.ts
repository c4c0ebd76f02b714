import { createContext, useContext } from 'react';
import type { Queue } from '../api/helpdeskTypes';

/** A brand member who works tickets, so tickets can be assigned to them. */
export type Agent = { id: string; name: string; email: string };

/**
 * What the helpdesk pages look names up in: the brand's queues and the people who work tickets.
 * Loaded once when a helpdesk page opens (HelpdeskScope), not on every ticket.
 */
export type HelpdeskDirectory = {
  queues: Queue[];
  agents: Agent[];
  /** A user's name for ids in history entries; falls back to a short id. */
  nameOf(userId: string | null | undefined): string;
  /** A queue's title by its name, or its id (history entries use both). */
  queueTitle(nameOrId: string | null | undefined): string;
};

export const HelpdeskDirectoryContext = createContext<HelpdeskDirectory | null>(null);

export function useHelpdeskDirectory(): HelpdeskDirectory {
  const directory = useContext(HelpdeskDirectoryContext);
  if (!directory) throw new Error('useHelpdeskDirectory is used outside HelpdeskScope.');
  return directory;
}
