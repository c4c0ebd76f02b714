import { useState } from 'react';
import { deleteMacro, listMacros } from '../api/helpdesk';
import type { Macro } from '../api/helpdeskTypes';
import { useCurrentBrand } from '../shell/currentBrand';
import { macroActionText } from '../tickets/actionText';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ResourceTable } from '../ui/ResourceTable';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { MacroFormDialog } from './MacroFormDialog';

/**
 * The brand's macros: the SOP pack's (read-only; they follow the pack) and the brand's own, which
 * people with helpdesk.manage create, edit and delete, with actions such as "set status".
 */
export function MacrosTab() {
  const brand = useCurrentBrand();
  const macros = useResource((signal) => listMacros(brand.id, signal), [brand.id]);
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const [viewing, setViewing] = useState<Macro | null>(null);
  const [deleting, setDeleting] = useState<Macro | null>(null);
  const [query, setQuery] = useState('');
  useDocumentTitle('Macros', brand.name);

  const q = query.trim().toLowerCase();
  const filtered = {
    ...macros,
    data: macros.data?.filter(
      (m) => !q || m.name.toLowerCase().includes(q) || (m.title ?? '').toLowerCase().includes(q),
    ),
  };
  const custom = macros.data?.filter((m) => m.source === 'custom').length ?? 0;

  return (
    <section aria-labelledby="macros-title">
      <div className="section-header">
        <h2 id="macros-title">Macros {macros.data && <span className="count">{macros.data.length}</span>}</h2>
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          New macro
        </button>
      </div>
      <p className="muted">
        Canned replies agents insert with <kbd>m</kbd>. The pack’s macros follow {brand.packId}; {custom} of
        the brand’s own.
      </p>
      <div className="list-toolbar">
        <label className="field filter-field">
          <span>Filter</span>
          <input
            type="search"
            value={query}
            placeholder="Name or title"
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
      </div>
      <ResourceTable
        resource={filtered}
        loadingText="Loading macros…"
        emptyText="No macro matches."
        columns={['Macro', 'Text', 'Also does', 'Source']}
      >
        {(rows) =>
          rows.map((macro) => (
            <tr key={`${macro.source}-${macro.id}`}>
              <td>
                <div>{macro.title ?? macro.name}</div>
                {macro.title && <code className="muted small">{macro.name}</code>}
              </td>
              <td className="macro-excerpt">{excerpt(macro.body)}</td>
              <td className="small">
                {macro.actions.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  macro.actions.map(macroActionText).join('; ')
                )}
              </td>
              <td className="nowrap">
                {macro.source === 'pack' ? <span className="tag">from pack</span> : <span>brand</span>}
              </td>
              <td className="row-actions">
                {macro.source === 'pack' && (
                  <button
                    type="button"
                    className="button small"
                    aria-label={`View ${macro.name}`}
                    onClick={() => setViewing(macro)}
                  >
                    View
                  </button>
                )}
                {macro.allowed.includes('update') && (
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Edit ${macro.name}`}
                    onClick={() => setEditing(macro)}
                  >
                    Edit
                  </button>
                )}
                {macro.allowed.includes('delete') && (
                  <button
                    type="button"
                    className="button small danger-text"
                    aria-label={`Delete ${macro.name}`}
                    onClick={() => setDeleting(macro)}
                  >
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))
        }
      </ResourceTable>
      <MacroFormDialog
        brandId={brand.id}
        macro={editing === 'new' ? null : editing}
        readOnly={false}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          macros.reload();
        }}
      />
      <MacroFormDialog
        brandId={brand.id}
        macro={viewing}
        readOnly
        open={viewing !== null}
        onClose={() => setViewing(null)}
        onSaved={() => setViewing(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete macro"
        confirmLabel="Delete macro"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await deleteMacro(deleting.id);
          macros.reload();
        }}
      >
        Delete the macro <strong>{deleting?.title ?? deleting?.name}</strong>? Replies already sent with it
        stay as they are.
      </ConfirmDialog>
    </section>
  );
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 110 ? `${flat.slice(0, 110)}…` : flat;
}
