import { api } from './client';

/**
 * The work log: time on tickets (heartbeats from the ticket view), the start/stop timer, manual
 * entries, corrections, timesheets and the lead's lock. Mirrors `packages/server/src/routes/worklog.ts`.
 */

export type WorkLogSource = 'ticket' | 'reply' | 'note' | 'tracker' | 'approval' | 'timer' | 'manual';

export type WorkLogEntry = {
  id: string;
  userId: string;
  source: WorkLogSource;
  category: string | null;
  channel: string | null;
  queueId: string | null;
  queueName: string | null;
  ticketId: string | null;
  ticketNumber: number | null;
  /** The day the work counts on (YYYY-MM-DD), in the brand's time zone. */
  day: string;
  startedAt: string;
  endedAt: string | null;
  seconds: number;
  running: boolean;
  note: string | null;
  locked: boolean;
  allowed: ('edit' | 'delete')[];
};

export type Sum = { seconds: number; entries: number };
export type Totals = Sum & {
  days: (Sum & { day: string })[];
  categories: (Sum & { category: string | null })[];
  dayCategories: (Sum & { day: string; category: string | null })[];
};

export type Timesheet = {
  userId: string;
  from: string;
  to: string;
  /** Today in the brand's time zone. */
  today: string;
  lockedThrough: string | null;
  entries: WorkLogEntry[];
  totals: Totals;
};

export type TeamTimesheet = {
  from: string;
  to: string;
  /** Today in the brand's time zone. */
  today: string;
  people: { userId: string; name: string; email: string; lockedThrough: string | null; totals: Totals }[];
};

export type TaskCategory = { name: string; description: string };

export type TicketTime = {
  seconds: number;
  people: { userId: string; name: string; seconds: number; entries: number }[];
};

export type ManualEntryInput = {
  category: string;
  minutes?: number;
  startedAt?: string;
  endedAt?: string;
  channel?: string | null;
  note?: string | null;
  ticketId?: string | null;
  userId?: string;
};

export type EntryCorrection = {
  category?: string | null;
  channel?: string | null;
  note?: string | null;
  startedAt?: string;
  endedAt?: string;
  minutes?: number;
};

type One<T> = { data: T };
const base = (brandId: string) => `/brands/${encodeURIComponent(brandId)}/worklog`;

/** Says the agent is working the ticket now; returns the time logged on it. */
export async function postTicketActivity(ticketId: string) {
  return (
    await api.post<One<{ entry: WorkLogEntry; ticketSeconds: number; mySeconds: number }>>(
      `/tickets/${encodeURIComponent(ticketId)}/activity`,
      {},
    )
  ).data;
}

export async function fetchTicketTime(ticketId: string, signal?: AbortSignal): Promise<TicketTime> {
  return (await api.get<One<TicketTime>>(`/tickets/${encodeURIComponent(ticketId)}/worklog`, { signal }))
    .data;
}

export async function fetchCategories(brandId: string, signal?: AbortSignal): Promise<TaskCategory[]> {
  return (await api.get<One<TaskCategory[]>>(`${base(brandId)}/categories`, { signal })).data;
}

export async function fetchTimer(brandId: string, signal?: AbortSignal): Promise<WorkLogEntry | null> {
  return (await api.get<One<WorkLogEntry | null>>(`${base(brandId)}/timer`, { signal })).data;
}

export async function startTimer(
  brandId: string,
  input: { category: string; channel?: string | null; note?: string | null },
): Promise<WorkLogEntry> {
  return (await api.post<One<WorkLogEntry>>(`${base(brandId)}/timer`, input)).data;
}

export async function stopTimer(brandId: string, note?: string): Promise<WorkLogEntry> {
  return (await api.post<One<WorkLogEntry>>(`${base(brandId)}/timer/stop`, note ? { note } : {})).data;
}

export async function addEntry(brandId: string, input: ManualEntryInput): Promise<WorkLogEntry> {
  return (await api.post<One<WorkLogEntry>>(`${base(brandId)}/entries`, input)).data;
}

export async function fetchTimesheet(
  brandId: string,
  query: { from?: string; to?: string; userId?: string },
  signal?: AbortSignal,
): Promise<Timesheet> {
  return (await api.get<One<Timesheet>>(`${base(brandId)}/entries`, { query, signal })).data;
}

export async function fetchTeamTimesheet(
  brandId: string,
  query: { from?: string; to?: string },
  signal?: AbortSignal,
): Promise<TeamTimesheet> {
  return (await api.get<One<TeamTimesheet>>(`${base(brandId)}/team`, { query, signal })).data;
}

export async function correctEntry(entryId: string, input: EntryCorrection): Promise<WorkLogEntry> {
  return (await api.patch<One<WorkLogEntry>>(`/worklog/entries/${encodeURIComponent(entryId)}`, input)).data;
}

export async function deleteEntry(entryId: string): Promise<void> {
  await api.delete(`/worklog/entries/${encodeURIComponent(entryId)}`);
}

export async function lockTimesheet(brandId: string, userId: string, through: string) {
  return (
    await api.post<One<{ userId: string; lockedThrough: string; entriesLocked: number }>>(
      `${base(brandId)}/locks`,
      { userId, through },
    )
  ).data;
}

/** "1 h 05 min", "12 min", "45 s": a duration short enough for tables. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
