import { useState } from 'react';
import { listApiTokens, listRoles, revokeApiToken } from '../api/brandAdmin';
import type { ApiToken } from '../api/types';
import { useCurrentBrand } from '../shell/currentBrand';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { formatDay } from '../ui/format';
import { ResourceTable } from '../ui/ResourceTable';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { CreateTokenForm } from './CreateTokenForm';
import { TokenReveal } from './TokenReveal';

function tokenStatus(token: ApiToken, now: number): { label: string; tone: 'ok' | 'off' } {
  if (token.revokedAt) return { label: `Revoked ${formatDay(token.revokedAt)}`, tone: 'off' };
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return { label: 'Expired', tone: 'off' };
  return { label: 'Active', tone: 'ok' };
}

/** The brand's API tokens for integrations: create one (shown once), see when each was used, revoke. */
export function ApiTokensTab() {
  const brand = useCurrentBrand();
  const tokens = useResource((signal) => listApiTokens(brand.id, signal), [brand.id]);
  const roles = useResource((signal) => listRoles(brand.id, signal), [brand.id]);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const now = Date.now();
  useDocumentTitle('API tokens', brand.name);

  return (
    <section aria-labelledby="tokens-title">
      <div className="section-header">
        <h2 id="tokens-title">
          API tokens {tokens.data && <span className="count">{tokens.data.length}</span>}
        </h2>
      </div>
      <p className="muted">
        Integrations call the API with a token as <code>Authorization: Bearer …</code>. A token acts with the
        role it is given, in {brand.name} only.
      </p>
      <CreateTokenForm
        brandId={brand.id}
        roles={roles.data}
        onCreated={({ data, token }) => {
          setCreated({ name: data.name, token });
          tokens.setData((list) => [data, ...(list ?? [])]);
        }}
      />
      {created && <TokenReveal name={created.name} token={created.token} onDone={() => setCreated(null)} />}
      <ResourceTable
        resource={tokens}
        loadingText="Loading tokens…"
        emptyText="No API tokens yet."
        columns={['Name', 'Token', 'Role', 'Created', 'Last used', 'Expires', 'Status']}
      >
        {(rows) =>
          rows.map((token) => {
            const status = tokenStatus(token, now);
            return (
              <tr key={token.id} className={status.tone === 'off' ? 'row-muted' : undefined}>
                <td>{token.name}</td>
                <td className="mono">{token.prefix}…</td>
                <td>{token.role}</td>
                <td className="nowrap">{formatDay(token.createdAt)}</td>
                <td className="nowrap">{token.lastUsedAt ? formatDay(token.lastUsedAt) : 'Never'}</td>
                <td className="nowrap">{token.expiresAt ? formatDay(token.expiresAt) : 'Never'}</td>
                <td className="nowrap">
                  <span className={`status status-${status.tone}`}>{status.label}</span>
                </td>
                <td className="row-actions">
                  {token.allowed.includes('revoke') && (
                    <button
                      type="button"
                      className="button small danger-text"
                      onClick={() => setRevoking(token)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            );
          })
        }
      </ResourceTable>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke API token"
        confirmLabel="Revoke token"
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await revokeApiToken(brand.id, revoking.id);
          tokens.reload();
        }}
      >
        Revoke <strong>{revoking?.name}</strong>? Integrations using it stop working at once. This cannot be
        undone.
      </ConfirmDialog>
    </section>
  );
}
