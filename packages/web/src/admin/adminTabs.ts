import type { Brand, Session } from '../api/types';

/** The tabs of the Admin area and who may see each: a tab is shown when the API would allow its actions. */
export type AdminTabId =
  | 'members'
  | 'roles'
  | 'api-tokens'
  | 'audit'
  | 'brand'
  | 'macros'
  | 'queues'
  | 'sla'
  | 'email'
  | 'users';

export type AdminTab = { id: AdminTabId; label: string };

const TABS: { tab: AdminTab; visible: (session: Session, brand: Brand) => boolean }[] = [
  { tab: { id: 'members', label: 'Members' }, visible: (_, b) => b.allowed.includes('members.manage') },
  { tab: { id: 'roles', label: 'Roles' }, visible: (_, b) => b.allowed.includes('roles.manage') },
  {
    tab: { id: 'api-tokens', label: 'API tokens' },
    visible: (_, b) => b.allowed.includes('api_tokens.manage'),
  },
  { tab: { id: 'audit', label: 'Audit log' }, visible: (_, b) => b.allowed.includes('audit.read') },
  {
    tab: { id: 'brand', label: 'Brand settings' },
    visible: (_, b) => b.allowed.includes('brand.settings.manage'),
  },
  { tab: { id: 'macros', label: 'Macros' }, visible: (_, b) => b.allowed.includes('helpdesk.manage') },
  { tab: { id: 'queues', label: 'Queues' }, visible: (_, b) => b.allowed.includes('helpdesk.manage') },
  { tab: { id: 'sla', label: 'SLA policies' }, visible: (_, b) => b.allowed.includes('helpdesk.manage') },
  { tab: { id: 'email', label: 'Email' }, visible: (_, b) => b.allowed.includes('helpdesk.manage') },
  { tab: { id: 'users', label: 'Users' }, visible: (s) => s.organization.allowed.includes('users.manage') },
];

/** The Admin tabs this person sees in this brand, in display order. */
export function adminTabsFor(session: Session, brand: Brand): AdminTab[] {
  return TABS.filter((t) => t.visible(session, brand)).map((t) => t.tab);
}
