/**
 * The helpdesk's API shapes as the web app uses them: tickets, customers, queues, SLA policies,
 * macros, saved views, mail settings and presence. They mirror the zod schemas in
 * packages/server/src/routes/{tickets,customers,helpdeskAdmin,live}.ts; keep the two in step.
 */

export type SlaState = 'ok' | 'warning' | 'breached' | (string & {});

export type Priority = 'low' | 'normal' | 'high' | 'urgent';

/** A ticket as the inbox lists it. */
export type TicketSummary = {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: Priority;
  channel: string;
  tags: string[];
  category: string | null;
  queue: string | null;
  assignee: { id: string; name: string | null } | null;
  customer: { name: string | null; email: string | null } | null;
  sla: { dueAt: string | null; state: SlaState };
  mergedIntoId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type Attachment = { id: string; filename: string; contentType: string; size: number };

export type Message = {
  id: string;
  kind: 'reply' | 'note';
  /** `in` from the customer or a vendor, `out` from an agent, `internal` for notes. */
  direction: string;
  /** customer, agent, vendor, system … */
  authorType: string;
  from: { name: string | null; address: string | null };
  to: string[];
  subject: string | null;
  bodyText: string;
  /** Sanitised HTML; shown only inside a sandboxed frame. */
  bodyHtml: string | null;
  /** queued, sent, failed … for outbound mail; null otherwise. */
  deliveryState: string | null;
  macro: string | null;
  sideConversationId: string | null;
  movedFromTicketId: string | null;
  attachments: Attachment[];
  createdAt: string;
};

export type SideConversation = {
  id: string;
  /** Who the conversation is with: vendor, supplier, carrier … */
  with: string;
  to: string;
  subject: string;
  status: string;
  createdBy: string;
  createdAt: string;
  messages: Message[];
};

export type TicketEvent = { kind: string; by: string; data: Record<string, unknown>; at: string };

export type LinkedOrder = { id: string; number: string; channel: string; placedAt: string; linkedBy: string };

/** What the caller may do with a ticket (the API's `allowed`). */
export type TicketAction =
  | 'update'
  | 'reply'
  | 'note'
  | 'merge'
  | 'split'
  | 'link_order'
  | 'side_conversation'
  | (string & {});

/** One ticket with everything the ticket view shows. */
export type Ticket = Omit<TicketSummary, 'sla'> & {
  brandId: string;
  customerId: string | null;
  intentOverride: string | null;
  sla: {
    dueAt: string | null;
    state: SlaState;
    firstResponseDueAt: string | null;
    nextResponseDueAt: string | null;
    resolutionDueAt: string | null;
  };
  statusCategory: string;
  nextStatuses: string[];
  messages: Message[];
  sideConversations: SideConversation[];
  orders: LinkedOrder[];
  history: TicketEvent[];
  allowed: TicketAction[];
};

export type TicketCounts = {
  byQueue: { queue: string | null; count: number; breached: number }[];
  byStatus: { status: string; count: number }[];
  mine: number;
  unassigned: number;
};

export type TicketSort = 'sla' | 'updated' | 'created';

/** The list filters the API understands; empty means "any". */
export type TicketFilters = {
  status?: string;
  queue?: string;
  assignee?: string;
  tag?: string;
  sort?: TicketSort;
};

export type TicketPage = { data: TicketSummary[]; nextCursor: string | null };

/** The fields PATCH /tickets/:id and the bulk route change. */
export type TicketChanges = {
  status?: string;
  priority?: Priority;
  assigneeId?: string | null;
  queue?: string | null;
  tags?: string[];
  addTags?: string[];
  removeTags?: string[];
  category?: string | null;
  subject?: string;
  intentOverride?: string | null;
};

export type AttachmentUpload = { filename: string; contentType: string; contentBase64: string };

export type NewMessage = {
  kind: 'reply' | 'note';
  body: string;
  macro?: string;
  status?: string;
  version?: number;
  attachments?: AttachmentUpload[];
};

export type NewTicket = {
  brandId: string;
  channel?: string;
  subject: string;
  body: string;
  customer?: { email?: string; name?: string; phone?: string };
  priority?: Priority;
  queue?: string;
  tags?: string[];
  loggedByAgent?: boolean;
};

/** Someone else on a ticket right now. */
export type Presence = { userId: string; name: string; mode: 'viewing' | 'replying'; since: string };

export type Customer = {
  id: string;
  brandId: string;
  name: string | null;
  email: string | null;
  emails: string[];
  phone: string | null;
  notes: string | null;
  storeCreditBalance: number;
  version: number;
  createdAt: string;
};

export type CustomerDetail = Customer & {
  tickets: { id: string; number: number; subject: string; status: string; updatedAt: string }[];
  orders: { id: string; number: string; placedAt: string; channel: string }[];
};

export type CustomerChanges = {
  version?: number;
  name?: string | null;
  phone?: string | null;
  notes?: string | null;
  email?: string | null;
  addEmails?: string[];
  removeEmails?: string[];
};

export type Queue = {
  id: string;
  name: string;
  title: string;
  kind: 'queue' | 'escalation';
  description: string | null;
  source: 'pack' | 'custom';
  assignment: 'manual' | 'round_robin';
  memberIds: string[];
  version: number;
  allowed: string[];
};

export type BusinessHours = {
  timezone: string;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  days: number[];
  start: string;
  end: string;
  holidays: string[];
};

export type SlaPolicy = {
  id: string;
  name: string;
  priorities: Priority[];
  position: number;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warnMinutes: number;
  businessHours: BusinessHours | null;
  version: number;
  allowed: string[];
};

export type SlaPolicyInput = Omit<SlaPolicy, 'id' | 'version' | 'allowed'>;

/** What a macro does besides its text, when applied. */
export type MacroAction =
  | { type: 'set_status'; status: string }
  | { type: 'add_tag'; tag: string }
  | { type: 'set_po_status'; status: string }
  | { type: 'follow_up'; after: string }
  | { type: 'set_queue'; queue: string };

export type Macro = {
  /** The macro's id, or its name for a pack macro. */
  id: string;
  name: string;
  title: string | null;
  body: string;
  actions: Record<string, unknown>[];
  source: 'pack' | 'custom';
  version: number | null;
  allowed: string[];
};

export type MacroInput = { name: string; title?: string; body: string; actions: MacroAction[] };

export type SavedView = {
  id: string;
  name: string;
  shared: boolean;
  filters: Record<string, string>;
  sort: string;
  position: number;
  allowed: string[];
};

export type SavedViewInput = {
  name: string;
  shared: boolean;
  filters: { status?: string; queue?: string; assignee?: string; tag?: string };
  sort: TicketSort;
};

export type MailSettings = {
  address: string;
  fromName: string;
  imap: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    mailbox: string;
    passwordSet: boolean;
  } | null;
  outbound: 'smtp' | 'local';
  version: number;
};

export type MailSettingsChanges = {
  version?: number;
  address?: string;
  fromName?: string;
  imap?: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    password?: string;
    mailbox: string;
  } | null;
};

export type OutboxMessage = {
  id: string;
  ticketId: string;
  to: string[];
  subject: string | null;
  bodyText: string;
  emailMessageId: string | null;
  inReplyTo: string | null;
  deliveryState: string | null;
  createdAt: string;
};
