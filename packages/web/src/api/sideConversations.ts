import { api } from './client';
import type { Message } from './helpdeskTypes';

/** Side conversations: threads with a vendor, supplier or carrier, opened from a ticket. */

export const SIDE_WITH = ['vendor', 'supplier', 'carrier'] as const;
export const SIDE_STATUSES = ['open', 'waiting', 'closed'] as const;

export type SideConversationDetail = {
  id: string;
  ticketId: string;
  with: (typeof SIDE_WITH)[number];
  vendorId: string | null;
  to: string;
  subject: string;
  status: (typeof SIDE_STATUSES)[number];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  messages: Omit<Message, 'sideConversationId' | 'movedFromTicketId'>[];
};

export type NewSideConversation = {
  with: (typeof SIDE_WITH)[number];
  to?: string;
  subject: string;
  body: string;
  macro?: string;
};

type One<T> = { data: T };

/** Opens a side conversation and emails its first message; the customer never sees it. */
export async function openSideConversation(
  ticketId: string,
  input: NewSideConversation,
): Promise<SideConversationDetail> {
  const path = `/tickets/${encodeURIComponent(ticketId)}/side-conversations`;
  return (await api.post<One<SideConversationDetail>>(path, input)).data;
}

/** A reply (emailed; the conversation then waits) or an internal note in a side conversation. */
export async function addSideMessage(
  sideConversationId: string,
  input: { kind: 'reply' | 'note'; body: string },
): Promise<SideConversationDetail> {
  const path = `/side-conversations/${encodeURIComponent(sideConversationId)}/messages`;
  return (await api.post<One<SideConversationDetail>>(path, input)).data;
}

/** Marks a side conversation open, waiting for their answer, or closed. */
export async function setSideConversationStatus(
  sideConversationId: string,
  status: (typeof SIDE_STATUSES)[number],
): Promise<SideConversationDetail> {
  const path = `/side-conversations/${encodeURIComponent(sideConversationId)}`;
  return (await api.patch<One<SideConversationDetail>>(path, { status })).data;
}
