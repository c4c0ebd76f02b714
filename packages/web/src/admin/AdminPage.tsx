import { Fragment, type ReactNode } from 'react';
import { Navigate, NavLink, Outlet } from 'react-router';
import { useSignedInSession } from '../session/useSession';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath } from '../shell/paths';
import { PageHeader } from '../ui/PageHeader';
import { type AdminTabId, adminTabsFor } from './adminTabs';

/** The Admin area: a header, the tabs this person may use in this brand, and the open tab. */
export function AdminPage() {
  const session = useSignedInSession();
  const brand = useCurrentBrand();
  const tabs = adminTabsFor(session, brand);
  if (tabs.length === 0) return <Navigate to={brandPath(brand.id)} replace />;
  return (
    <>
      <PageHeader title="Admin" summary={`${areaById('admin').summary} For ${brand.name}.`} />
      <nav className="tabs" aria-label="Admin sections">
        {tabs.map((tab) => (
          <NavLink key={tab.id} to={brandPath(brand.id, 'admin', tab.id)} className="tab">
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <div className="tab-panel">
        <Outlet />
      </div>
    </>
  );
}

/** `/admin` on its own: open the first tab this person may use. */
export function AdminIndex() {
  const session = useSignedInSession();
  const brand = useCurrentBrand();
  const first = adminTabsFor(session, brand)[0];
  return <Navigate to={first ? brandPath(brand.id, 'admin', first.id) : brandPath(brand.id)} replace />;
}

/**
 * Renders a tab only when this person may use it in this brand; otherwise (say, after switching
 * to a brand where they hold a smaller role) it opens the first tab they may use. Keyed by brand,
 * so half-filled forms do not carry over from one brand to another.
 */
export function RequireAdminTab({ tab, children }: { tab: AdminTabId; children: ReactNode }) {
  const session = useSignedInSession();
  const brand = useCurrentBrand();
  const tabs = adminTabsFor(session, brand);
  if (tabs.some((t) => t.id === tab)) return <Fragment key={brand.id}>{children}</Fragment>;
  const first = tabs[0];
  return <Navigate to={first ? brandPath(brand.id, 'admin', first.id) : brandPath(brand.id)} replace />;
}
