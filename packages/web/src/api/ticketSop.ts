import { api } from './client';
import type { Ticket } from './helpdeskTypes';

/**
 * The SOP side of a ticket (packages/server/src/routes/ticketSop.ts): the advice panel (what the
 * brand's procedure requires next and why), applying or overriding it, and macros filled in for
 * the ticket.
 */

/** An advised action `{ type, ...keys }`, e.g. `{ type: 'send_macro', macro: '#VD - Cancel' }`. */
export type AdviceAction = { type: string } & Record<string, string | number | boolean>;

/** A macro filled in for one ticket; `missing` are placeholders the ticket has no value for. */
export type RenderedMacro = {
  name: string;
  title: string | null;
  source: 'pack' | 'custom';
  text: string;
  missing: string[];
  actions: Record<string, unknown>[];
};

export type AdvisedAction = {
  index: number;
  action: AdviceAction;
  rule: string;
  /** The rule's reason with the fact values its condition read. */
  because: string;
  preview?: RenderedMacro;
};

export type BlockedAction = { index: number; action: AdviceAction; reason: string };

export type TicketAdvice = {
  pack: string;
  packVersion: string;
  intent: { name: string; title: string | null; confidence?: number; inferred: boolean; overridden: boolean };
  playbook: { id: string; title: string } | null;
  actions: AdvisedAction[];
  blocked: BlockedAction[];
  scenario: Record<string, unknown>;
  sources: { messageId: string | null; orderId: string | null; poId: string | null };
};

export type AppliedAdvice = {
  applied: boolean;
  type: string;
  rule: string;
  /** When Casebook does not carry the action out itself: what the UI should open. */
  next?: { view: string; action: AdviceAction };
  ticket: Ticket;
  advice: TicketAdvice;
};

const base = (ticketId: string) => `/tickets/${encodeURIComponent(ticketId)}`;

/** What the SOP requires next on this ticket and why; the caller's role decides what is blocked. */
export async function fetchAdvice(ticketId: string, signal?: AbortSignal): Promise<TicketAdvice> {
  return (await api.get<{ data: TicketAdvice }>(`${base(ticketId)}/advice`, { signal })).data;
}

/**
 * Carries out one advised action. 403 when the caller's role may not (naming who may), 409 when
 * the advice or the ticket changed, 422 when a guardrail forbids it.
 */
export async function applyAdvice(
  ticketId: string,
  input: { index: number; rule: string; version?: number; body?: string },
): Promise<AppliedAdvice> {
  return (await api.post<{ data: AppliedAdvice }>(`${base(ticketId)}/advice/apply`, input)).data;
}

/** Sets (or with null, clears) the ticket's intent and/or records that a rule's advice was not followed. */
export async function overrideAdvice(
  ticketId: string,
  input: { intent?: string | null; rule?: string; note?: string; version?: number },
): Promise<TicketAdvice> {
  return (await api.post<{ data: TicketAdvice }>(`${base(ticketId)}/advice/override`, input)).data;
}

/** A macro filled in for this ticket, with the placeholders it could not fill. */
export async function renderMacro(
  ticketId: string,
  macro: string,
  signal?: AbortSignal,
): Promise<RenderedMacro> {
  const path = `${base(ticketId)}/macros/render`;
  return (await api.post<{ data: RenderedMacro }>(path, { macro }, { signal })).data;
}

/** Sends a macro as a reply and applies its actions in one transaction. */
export async function applyMacro(
  ticketId: string,
  input: { macro: string; body?: string; version?: number },
): Promise<{ macro: RenderedMacro; ticket: Ticket }> {
  const path = `${base(ticketId)}/macros/apply`;
  return (await api.post<{ data: { macro: RenderedMacro; ticket: Ticket } }>(path, { ...input, send: true }))
    .data;
}
