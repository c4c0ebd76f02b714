import { useEffect, useId, useRef, useState } from 'react';
import type { User } from '../api/types';
import { useSession } from '../session/useSession';
import { ChangePasswordDialog } from './ChangePasswordDialog';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

/**
 * The signed-in person's menu in the top bar: who they are, changing their password, signing out.
 * A disclosure (button + panel of buttons) so Tab and Escape behave plainly; it closes when focus
 * or a click lands elsewhere.
 */
export function UserMenu({ user }: { user: User }) {
  const { signOut } = useSession();
  const [open, setOpen] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const inside = (target: EventTarget | null) => rootRef.current?.contains(target as Node | null) ?? false;
    const onPointerDown = (event: PointerEvent) => {
      if (!inside(event.target)) setOpen(false);
    };
    const onFocusIn = (event: FocusEvent) => {
      if (!inside(event.target)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(user.name)}
        </span>
        <span className="user-menu-name">{user.name}</span>
        <span className="caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <div className="user-menu-panel" id={panelId}>
          <div className="user-menu-who">
            <strong>{user.name}</strong>
            <span>{user.email}</span>
            {user.isOrgAdmin && <span className="tag">Organization admin</span>}
          </div>
          <button
            type="button"
            className="menu-item"
            onClick={() => {
              setOpen(false);
              setPasswordOpen(true);
            }}
          >
            Change password
          </button>
          <button type="button" className="menu-item" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      )}
      <ChangePasswordDialog
        open={passwordOpen}
        onClose={() => {
          setPasswordOpen(false);
          // The menu item that opened the dialog is gone; give focus back to the menu button.
          requestAnimationFrame(() => buttonRef.current?.focus());
        }}
      />
    </div>
  );
}
