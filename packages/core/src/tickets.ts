import type { Pack } from './packs/load';
import type { PackTicketStatus, PackTickets } from './packs/schema';

/**
 * Ticket statuses come from the brand's pack; each belongs to one fixed category, and the rest of
 * Casebook (SLA clocks, views, reports) reasons about categories, never about a pack's names.
 */

/**
 * What a status means for the SLA clock and the lists: `open` waits for us, `pending` for the
 * customer, `on_hold` for a third party (vendor, supplier, courier); `solved` may still reopen,
 * `closed` is final.
 */
export const STATUS_CATEGORIES = ['open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

/** The statuses of a pack without a `tickets` section. */
export const DEFAULT_TICKET_STATUSES: Readonly<Record<string, PackTicketStatus>> = {
  open: { title: 'Open', category: 'open' },
  pending: { title: 'Pending on customer', category: 'pending' },
  on_hold_vendor: { title: 'On hold – waiting for vendor', category: 'on_hold' },
  on_hold_supplier: { title: 'On hold – waiting for supplier', category: 'on_hold' },
  solved: { title: 'Solved', category: 'solved' },
  closed: { title: 'Closed', category: 'closed' },
};

export type TicketStatus = {
  name: string;
  title: string;
  category: StatusCategory;
  description?: string;
};

/** A brand's ticket statuses and the moves allowed between them. */
export type TicketWorkflow = {
  /** In the order the pack declares them. */
  statuses: TicketStatus[];
  /** The status a new ticket gets: the pack's `initial`, else its first `open` status. */
  initial: string;
  /** Undefined for a name that is not a status of the pack. */
  category(name: string): StatusCategory | undefined;
  /**
   * The statuses a ticket may move to from `from`: the pack's list for it, or by the default rule
   * in declaration order; [] for an unknown name.
   */
  next(from: string): string[];
  canMove(from: string, to: string): boolean;
  /**
   * The first declared status of a category, e.g. where "solve" puts a ticket. Every pack has an
   * open, a solved and a closed status; asking for a category the pack has none of throws.
   */
  firstOf(category: StatusCategory): string;
};

const workflows = new WeakMap<Pack, TicketWorkflow>();

/**
 * The ticket workflow of a loaded pack, built once per pack object. Without a `tickets` section the
 * pack uses `DEFAULT_TICKET_STATUSES`; without `transitions`, the default rule applies by category:
 * a status that is not closed may move to any other status that is not closed, a closed status is
 * reached only from a solved one, and nothing leaves a closed status.
 *
 * @example ticketWorkflow(pack).canMove('solved', 'closed') // true
 */
export function ticketWorkflow(pack: Pack): TicketWorkflow {
  let workflow = workflows.get(pack);
  if (!workflow) {
    workflow = buildWorkflow(pack.manifest.tickets);
    workflows.set(pack, workflow);
  }
  return workflow;
}

function buildWorkflow(section: PackTickets | undefined): TicketWorkflow {
  const statuses: TicketStatus[] = Object.entries(section?.statuses ?? DEFAULT_TICKET_STATUSES).map(
    ([name, s]) => ({
      name,
      title: s.title,
      category: s.category,
      ...(s.description === undefined ? {} : { description: s.description }),
    }),
  );
  const categories = new Map(statuses.map((s) => [s.name, s.category]));
  const moves = new Map<string, readonly string[]>();
  for (const from of statuses) {
    const targets = section?.transitions
      ? (section.transitions[from.name] ?? []).filter((to) => categories.has(to))
      : statuses.filter((to) => defaultAllows(from, to)).map((to) => to.name);
    moves.set(from.name, [...new Set(targets)]);
  }
  const firstOf = (category: StatusCategory): string => {
    const status = statuses.find((s) => s.category === category);
    if (!status) throw new Error(`the pack has no ticket status of category "${category}"`);
    return status.name;
  };
  return {
    statuses,
    initial: section?.initial ?? firstOf('open'),
    category: (name) => categories.get(name),
    next: (from) => [...(moves.get(from) ?? [])],
    canMove: (from, to) => moves.get(from)?.includes(to) ?? false,
    firstOf,
  };
}

function defaultAllows(from: TicketStatus, to: TicketStatus): boolean {
  if (from.name === to.name || from.category === 'closed') return false;
  return to.category !== 'closed' || from.category === 'solved';
}
