import { useState } from 'react';
import { deleteRole, listRoles } from '../api/brandAdmin';
import { listCapabilities } from '../api/organization';
import type { Role } from '../api/types';
import { useCurrentBrand } from '../shell/currentBrand';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ResourceTable } from '../ui/ResourceTable';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { RoleFormDialog } from './RoleFormDialog';

/**
 * The brand's roles. Roles from the SOP pack are read-only and labelled so; custom roles can be
 * created, edited and deleted by people with roles.manage.
 */
export function RolesTab() {
  const brand = useCurrentBrand();
  const roles = useResource((signal) => listRoles(brand.id, signal), [brand.id]);
  const capabilities = useResource((signal) => listCapabilities(signal), []);
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const canManage = brand.allowed.includes('roles.manage');
  useDocumentTitle('Roles', brand.name);

  const saved = (role: Role) =>
    roles.setData((list) => {
      const others = (list ?? []).filter((r) => r.id !== role.id);
      return [...others, role].sort((a, b) => a.name.localeCompare(b.name));
    });

  return (
    <section aria-labelledby="roles-title">
      <div className="section-header">
        <h2 id="roles-title">Roles {roles.data && <span className="count">{roles.data.length}</span>}</h2>
        {canManage && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            New role
          </button>
        )}
      </div>
      <ResourceTable
        resource={roles}
        loadingText="Loading roles…"
        columns={['Role', 'Capabilities', 'Source']}
      >
        {(rows) =>
          rows.map((role) => (
            <tr key={role.id}>
              <td>
                <div>
                  {role.title} <code className="muted">{role.name}</code>
                  {role.external && <span className="tag">external</span>}
                </div>
                {role.description && <div className="muted small">{role.description}</div>}
              </td>
              <td>
                {role.capabilities.length === 0 ? (
                  <span className="muted">No admin capabilities</span>
                ) : (
                  <ul className="chips">
                    {role.capabilities.map((c) => (
                      <li key={c} className="chip">
                        {c}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="nowrap">
                {role.source === 'pack' ? <span className="tag">from pack</span> : <span>custom</span>}
              </td>
              <td className="row-actions">
                {role.allowed.includes('update') && (
                  <button type="button" className="button small" onClick={() => setEditing(role)}>
                    Edit
                  </button>
                )}
                {role.allowed.includes('delete') && (
                  <button
                    type="button"
                    className="button small danger-text"
                    onClick={() => setDeleting(role)}
                  >
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))
        }
      </ResourceTable>
      <RoleFormDialog
        brandId={brand.id}
        role={editing === 'new' ? null : editing}
        open={editing !== null}
        capabilities={capabilities.data}
        onSaved={saved}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete role"
        confirmLabel="Delete role"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await deleteRole(brand.id, deleting.id);
          const deletedId = deleting.id;
          roles.setData((list) => list?.filter((r) => r.id !== deletedId));
        }}
      >
        Delete the custom role <strong>{deleting?.title}</strong>? Only a role that no member or API token
        holds can be deleted.
      </ConfirmDialog>
    </section>
  );
}
