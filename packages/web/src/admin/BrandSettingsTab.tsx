import { type FormEvent, useState } from 'react';
import { renameBrand } from '../api/brandAdmin';
import { useSession } from '../session/useSession';
import { useCurrentBrand } from '../shell/currentBrand';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { useDocumentTitle } from '../ui/useDocumentTitle';

/** The brand's own settings: its name, and the SOP pack it runs on (read-only here). */
export function BrandSettingsTab() {
  const brand = useCurrentBrand();
  const { refresh } = useSession();
  const [name, setName] = useState(brand.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const canManage = brand.allowed.includes('brand.settings.manage');
  useDocumentTitle('Brand settings', brand.name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await renameBrand(brand.id, name);
      await refresh();
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="brand-title">
      <div className="section-header">
        <h2 id="brand-title">Brand settings</h2>
      </div>
      <form className="form narrow" onSubmit={submit}>
        <label className="field">
          <span>Brand name</span>
          <input
            required
            maxLength={120}
            value={name}
            disabled={!canManage}
            aria-invalid={isFieldInvalid(error, 'name')}
            onChange={(e) => {
              setName(e.target.value);
              setSaved(false);
            }}
          />
        </label>
        <dl className="facts">
          <dt>Slug</dt>
          <dd className="mono">{brand.slug}</dd>
          <dt>SOP pack</dt>
          <dd className="mono">
            {brand.packId} {brand.packVersion}
          </dd>
        </dl>
        <ErrorMessage error={error} />
        {canManage && (
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy || name.trim() === brand.name}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            {saved && (
              <span className="success" role="status">
                Saved.
              </span>
            )}
          </div>
        )}
      </form>
    </section>
  );
}
