import { useCallback, useMemo, useRef, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import type { Brand } from '../api/types';
import { NotificationBell } from '../notifications/NotificationBell';
import { useSignedInSession } from '../session/useSession';
import { Logo } from '../ui/Logo';
import { visibleAreas } from './areas';
import { BrandSwitcher } from './BrandSwitcher';
import { type PageShortcut, type PageShortcutRegistry, PageShortcutsContext } from './pageShortcuts';
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
  const pageShortcuts = usePageShortcutRegistry();

  useShortcuts({
    goTo: Object.fromEntries(areas.map((a) => [a.key, () => navigate(brandPath(brand.id, a.id))])),
    help: () => setHelpOpen(true),
    page: pageShortcuts.handlers,
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
          {/* Supplier accounts have no in-app notifications: the portal shows what is theirs. */}
          {!brand.role.external && <NotificationBell brandId={brand.id} />}
          <UserMenu user={session.user} />
        </header>
        <main id="main" className="content" tabIndex={-1}>
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          <PageShortcutsContext value={pageShortcuts.registry}>
            <Outlet />
          </PageShortcutsContext>
        </main>
      </div>
      <ShortcutHelp
        open={helpOpen}
        areas={areas}
        pageShortcuts={pageShortcuts.listed}
        onClose={() => setHelpOpen(false)}
      />
    </div>
  );
}

/**
 * Holds the shortcuts the open page registered: `handlers` for the key listener (the latest
 * registration of a key wins) and `listed` for the help overlay.
 */
function usePageShortcutRegistry() {
  const [entries, setEntries] = useState<{ id: number; shortcuts: PageShortcut[] }[]>([]);
  const latest = useRef(entries);
  latest.current = entries;
  const nextId = useRef(0);
  const registry = useMemo<PageShortcutRegistry>(
    () => ({
      register(shortcuts) {
        const id = ++nextId.current;
        setEntries((current) => [...current, { id, shortcuts }]);
        return () => setEntries((current) => current.filter((entry) => entry.id !== id));
      },
    }),
    [],
  );
  const handlers = useCallback(() => {
    const byKey: Record<string, () => void> = {};
    for (const entry of latest.current) for (const s of entry.shortcuts) byKey[s.key] = s.run;
    return byKey;
  }, []);
  const listed = useMemo(() => {
    const byKey = new Map<string, PageShortcut>();
    for (const entry of entries) for (const s of entry.shortcuts) byKey.set(s.key, s);
    return [...byKey.values()];
  }, [entries]);
  return { registry, handlers, listed };
}
