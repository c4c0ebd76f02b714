import type { Brand, Session } from '../api/types';

/** The areas of the app, in navigation order, with the key that follows `g` to jump there. */
export type AreaId =
  | 'inbox'
  | 'orders'
  | 'trackers'
  | 'approvals'
  | 'boards'
  | 'time'
  | 'reports'
  | 'training'
  | 'admin'
  | 'supplier';

export type Area = {
  id: AreaId;
  label: string;
  /** Pressed after `g` to open the area. */
  key: string;
  /** One line under the page title saying what the area is for. */
  summary: string;
  /** What will appear here, for the empty state; `{brand}` is replaced by the brand's name. */
  emptyText: string;
  /** Other top-level paths that belong to the area, so its navigation link stays current there. */
  alsoAt?: string[];
};

export const AREAS: readonly Area[] = [
  {
    id: 'inbox',
    label: 'Inbox',
    key: 'i',
    summary: 'Customer conversations waiting for an answer.',
    emptyText:
      'Tickets from {brand}’s email, chat and marketplace channels will appear here, the most urgent first.',
    alsoAt: ['tickets', 'customers'],
  },
  {
    id: 'orders',
    label: 'Orders',
    key: 'o',
    summary: 'Look up an order and everything that happened to it.',
    // The Orders area has its own pages and empty state (orders/OrderListPage.tsx).
    emptyText: '',
  },
  {
    id: 'trackers',
    label: 'Trackers',
    key: 't',
    summary: 'Cases waiting on a carrier, a supplier or a refund.',
    emptyText: 'Follow-ups you are tracking for {brand} will appear here with the date each one is due.',
  },
  {
    id: 'approvals',
    label: 'Approvals',
    key: 'a',
    summary: 'Requests that need someone’s decision before the case can go on.',
    emptyText: 'Requests waiting for a decision in {brand}, such as refunds above a limit, will appear here.',
  },
  {
    id: 'boards',
    label: 'Boards',
    key: 'b',
    summary: 'The team’s work by stage and owner.',
    emptyText: 'Boards showing {brand}’s open cases by stage and owner will appear here.',
  },
  {
    id: 'time',
    label: 'Time',
    key: 'w',
    summary: 'Your work log by task category: the timer, your entries this week, and the team’s timesheets.',
    // The Time area has its own page (worklog/TimePage.tsx).
    emptyText: '',
  },
  {
    id: 'reports',
    label: 'Reports',
    key: 'r',
    summary: 'Volume, handle time, backlog, SLA attainment, approvals, trackers and SOP adherence.',
    // The Reports area has its own page (reports/ReportsPage.tsx).
    emptyText: '',
  },
  {
    id: 'training',
    label: 'Training',
    key: 'l',
    summary: 'Quizzes from this brand’s SOP pack, certification, and Ask the SOP.',
    // The Training area has its own pages (training/TrainingPage.tsx).
    emptyText: '',
  },
  {
    id: 'supplier',
    label: 'Portal',
    key: 'p',
    summary: 'The purchase orders assigned to your company and the brand’s requests to it.',
    // Supplier accounts only; it has its own page (supplier/SupplierPage.tsx).
    emptyText: '',
  },
  {
    id: 'admin',
    label: 'Admin',
    key: 'm',
    summary: 'People, roles, API tokens, the audit log, brand settings and the helpdesk set-up.',
    emptyText: '',
  },
];

/** The brand capabilities that open the Admin area. */
export const ADMIN_CAPABILITIES = [
  'members.manage',
  'roles.manage',
  'api_tokens.manage',
  'audit.read',
  'brand.settings.manage',
  'helpdesk.manage',
] as const;

/** Whether the Admin area is shown: for brand admins of this brand, and for organization admins. */
export function canSeeAdmin(session: Session, brand: Brand): boolean {
  return (
    session.user.isOrgAdmin ||
    session.organization.allowed.includes('users.manage') ||
    ADMIN_CAPABILITIES.some((c) => brand.allowed.includes(c))
  );
}

/** The areas a supplier's staff (an external role) may use: their portal and the trackers. */
export const SUPPLIER_AREAS: readonly AreaId[] = ['supplier', 'trackers'];

/** The areas this person sees in this brand's navigation; a supplier account sees only its own. */
export function visibleAreas(session: Session, brand: Brand): Area[] {
  if (brand.role.external) return SUPPLIER_AREAS.map(areaById);
  return AREAS.filter(
    (a) =>
      a.id !== 'supplier' &&
      (a.id !== 'admin' || canSeeAdmin(session, brand)) &&
      (a.id !== 'time' || brand.allowed.some((c) => c === 'worklog.log' || c === 'worklog.review')) &&
      (a.id !== 'reports' || brand.allowed.includes('reports.read')),
  );
}

/** Where a brand opens: a supplier account's portal, everyone else's inbox. */
export function homeArea(brand: Brand): AreaId {
  return brand.role.external ? 'supplier' : 'inbox';
}

/** The definition of one area, for page titles and empty states. */
export function areaById(id: AreaId): Area {
  const area = AREAS.find((a) => a.id === id);
  if (!area) throw new Error(`Unknown area ${id}`);
  return area;
}
