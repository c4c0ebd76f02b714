import { useState } from 'react';
import { listUsers, updateUser } from '../api/organization';
import type { User } from '../api/types';
import { useSignedInSession } from '../session/useSession';
import { useCurrentBrand } from '../shell/currentBrand';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { formatDay } from '../ui/format';
import { ResourceTable } from '../ui/ResourceTable';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { CreateUserDialog } from './CreateUserDialog';

/**
 * Every account of the organization, for organization admins: create accounts, disable and
 * enable them. Not brand-scoped; the same list shows whichever brand is open.
 */
export function UsersTab() {
  const session = useSignedInSession();
  const brand = useCurrentBrand();
  const users = useResource((signal) => listUsers(signal), []);
  const [creating, setCreating] = useState(false);
  const [disabling, setDisabling] = useState<User | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  useDocumentTitle('Users', brand.name);

  const replace = (user: User) =>
    users.setData((list) => {
      const others = (list ?? []).filter((u) => u.id !== user.id);
      return [...others, user].sort((a, b) => a.email.localeCompare(b.email));
    });

  const enable = async (user: User) => {
    setRowError(null);
    try {
      replace(await updateUser(user.id, { disabled: false }));
    } catch (e) {
      setRowError(e);
    }
  };

  return (
    <section aria-labelledby="users-title">
      <div className="section-header">
        <h2 id="users-title">Users {users.data && <span className="count">{users.data.length}</span>}</h2>
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          New account
        </button>
      </div>
      <p className="muted">Accounts of the whole organization. Add an account to a brand under Members.</p>
      <ResourceTable
        resource={users}
        error={rowError}
        loadingText="Loading accounts…"
        columns={['Name', 'Email', 'Organization admin', 'Status', 'Created']}
      >
        {(rows) =>
          rows.map((user) => {
            const self = user.id === session.user.id;
            return (
              <tr key={user.id} className={user.disabled ? 'row-muted' : undefined}>
                <td>
                  {user.name}
                  {self && <span className="tag">you</span>}
                </td>
                <td className="mono">{user.email}</td>
                <td>{user.isOrgAdmin ? 'Yes' : '—'}</td>
                <td>
                  <span className={`status ${user.disabled ? 'status-off' : 'status-ok'}`}>
                    {user.disabled ? 'Disabled' : 'Active'}
                  </span>
                </td>
                <td className="nowrap">{formatDay(user.createdAt)}</td>
                <td className="row-actions">
                  {!self &&
                    (user.disabled ? (
                      <button type="button" className="button small" onClick={() => void enable(user)}>
                        Enable
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="button small danger-text"
                        onClick={() => setDisabling(user)}
                      >
                        Disable
                      </button>
                    ))}
                </td>
              </tr>
            );
          })
        }
      </ResourceTable>
      <CreateUserDialog open={creating} onCreated={replace} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={disabling !== null}
        title="Disable account"
        confirmLabel="Disable account"
        onClose={() => setDisabling(null)}
        onConfirm={async () => {
          if (!disabling) return;
          replace(await updateUser(disabling.id, { disabled: true }));
        }}
      >
        Disable <strong>{disabling?.name}</strong> ({disabling?.email})? They are signed out everywhere and
        cannot sign in until an organization admin enables the account again. Their brand memberships stay.
      </ConfirmDialog>
    </section>
  );
}
