import { useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import type { Brand } from '../api/types';
import { useSignedInSession } from '../session/useSession';
import { Logo } from '../ui/Logo';
import { visibleAreas } from './areas';
import { BrandSwitcher } from './BrandSwitcher';
import { brandPath } from './paths';
import { ShortcutHelp } from './ShortcutHelp';
import { SideNav } from './SideNav';
import { UserMenu } from './UserMenu';
import { useShortcuts } from './useShortcuts';

/**
 * The frame around every signed-in page: navigation on the left, brand switcher and user menu on
 * top, the page in the middle, and the keyboard shortcuts that tie them together.
 */
export function AppShell({ brand }: { brand: Brand }) {
  const session = useSignedInSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [helpOpen, setHelpOpen] = useState(false);
  const areas = useMemo(() => visibleAreas(session, brand), [session, brand]);
  const notice = (location.state as { notice?: string } | null)?.notice;

  useShortcuts({
    goTo: Object.fromEntries(areas.map((a) => [a.key, () => navigate(brandPath(brand.id, a.id))])),
    help: () => setHelpOpen(true),
  });

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Logo />
        <SideNav brandId={brand.id} areas={areas} />
        <button type="button" className="shortcut-hint" onClick={() => setHelpOpen(true)}>
          <kbd>?</kbd> Keyboard shortcuts
        </button>
      </aside>
      <div className="shell-body">
        <header className="topbar">
          <BrandSwitcher brands={session.brands} current={brand} />
          <UserMenu user={session.user} />
        </header>
        <main id="main" className="content" tabIndex={-1}>
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          <Outlet />
        </main>
      </div>
      <ShortcutHelp open={helpOpen} areas={areas} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
