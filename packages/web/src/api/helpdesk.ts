import { api } from './client';
import type {
  Macro,
  MacroInput,
  MailSettings,
  MailSettingsChanges,
  OutboxMessage,
  Queue,
  SavedView,
  SavedViewInput,
  SlaPolicy,
  SlaPolicyInput,
} from './helpdeskTypes';

/** The helpdesk's set-up: queues, SLA policies, macros, saved views, mail settings and the outbox. */

type One<T> = { data: T };
type Many<T> = { data: T[] };

const brandBase = (brandId: string) => `/brands/${encodeURIComponent(brandId)}`;

/** The brand's queues: its pack's and its own. */
export async function listQueues(brandId: string, signal?: AbortSignal): Promise<Queue[]> {
  return (await api.get<Many<Queue>>(`${brandBase(brandId)}/queues`, { signal })).data;
}

export type QueueInput = {
  name: string;
  title?: string;
  description?: string;
  assignment: Queue['assignment'];
  memberIds: string[];
};

export async function createQueue(brandId: string, input: QueueInput): Promise<Queue> {
  return (await api.post<One<Queue>>(`${brandBase(brandId)}/queues`, input)).data;
}

export async function updateQueue(
  queueId: string,
  changes: Partial<Omit<QueueInput, 'name' | 'description'>> & {
    version: number;
    description?: string | null;
  },
): Promise<Queue> {
  return (await api.patch<One<Queue>>(`/queues/${encodeURIComponent(queueId)}`, changes)).data;
}

export function deleteQueue(queueId: string): Promise<void> {
  return api.delete(`/queues/${encodeURIComponent(queueId)}`);
}

/** SLA policies in the order they are matched. */
export async function listSlaPolicies(brandId: string, signal?: AbortSignal): Promise<SlaPolicy[]> {
  return (await api.get<Many<SlaPolicy>>(`${brandBase(brandId)}/sla-policies`, { signal })).data;
}

export async function createSlaPolicy(brandId: string, input: SlaPolicyInput): Promise<SlaPolicy> {
  return (await api.post<One<SlaPolicy>>(`${brandBase(brandId)}/sla-policies`, input)).data;
}

export async function updateSlaPolicy(
  policyId: string,
  changes: Partial<SlaPolicyInput> & { version: number },
): Promise<SlaPolicy> {
  return (await api.patch<One<SlaPolicy>>(`/sla-policies/${encodeURIComponent(policyId)}`, changes)).data;
}

export function deleteSlaPolicy(policyId: string): Promise<void> {
  return api.delete(`/sla-policies/${encodeURIComponent(policyId)}`);
}

/** The pack's macros (read-only) and the brand's own. */
export async function listMacros(brandId: string, signal?: AbortSignal): Promise<Macro[]> {
  return (await api.get<Many<Macro>>(`${brandBase(brandId)}/macros`, { signal })).data;
}

export async function createMacro(brandId: string, input: MacroInput): Promise<Macro> {
  return (await api.post<One<Macro>>(`${brandBase(brandId)}/macros`, input)).data;
}

export async function updateMacro(
  macroId: string,
  changes: Partial<MacroInput> & { version: number },
): Promise<Macro> {
  return (await api.patch<One<Macro>>(`/macros/${encodeURIComponent(macroId)}`, changes)).data;
}

export function deleteMacro(macroId: string): Promise<void> {
  return api.delete(`/macros/${encodeURIComponent(macroId)}`);
}

/** The caller's saved views and the brand's shared ones. */
export async function listViews(brandId: string, signal?: AbortSignal): Promise<SavedView[]> {
  return (await api.get<Many<SavedView>>(`${brandBase(brandId)}/views`, { signal })).data;
}

export async function createView(brandId: string, input: SavedViewInput): Promise<SavedView> {
  return (await api.post<One<SavedView>>(`${brandBase(brandId)}/views`, input)).data;
}

export function deleteView(viewId: string): Promise<void> {
  return api.delete(`/views/${encodeURIComponent(viewId)}`);
}

/** The support address, sender name and IMAP mailbox (never the IMAP password). */
export async function fetchMailSettings(brandId: string, signal?: AbortSignal): Promise<MailSettings> {
  return (await api.get<One<MailSettings>>(`${brandBase(brandId)}/mail-settings`, { signal })).data;
}

export async function updateMailSettings(
  brandId: string,
  changes: MailSettingsChanges,
): Promise<MailSettings> {
  return (await api.patch<One<MailSettings>>(`${brandBase(brandId)}/mail-settings`, changes)).data;
}

/** Outbound mail, newest first, with its delivery state; without SMTP, the local mailbox. */
export async function listOutbox(brandId: string, signal?: AbortSignal): Promise<OutboxMessage[]> {
  return (
    await api.get<Many<OutboxMessage>>(`${brandBase(brandId)}/outbox`, { query: { limit: 100 }, signal })
  ).data;
}
