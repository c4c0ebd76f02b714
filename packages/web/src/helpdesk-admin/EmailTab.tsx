import { type FormEvent, Fragment, useState } from 'react';
import { Link } from 'react-router';
import { fetchMailSettings, listOutbox, updateMailSettings } from '../api/helpdesk';
import type { MailSettings } from '../api/helpdeskTypes';
import { useCurrentBrand } from '../shell/currentBrand';
import { ticketPath } from '../shell/paths';
import { humanize } from '../tickets/ticketText';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { formatMoment } from '../ui/format';
import { ResourceTable } from '../ui/ResourceTable';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';

const DELIVERY_TONE: Record<string, string> = {
  queued: 'info',
  sending: 'info',
  sent: 'ok',
  delivered: 'ok',
  failed: 'bad',
  bounced: 'bad',
};

/**
 * How the brand's mail flows: the support address and sender name replies go out with, the IMAP
 * mailbox Casebook reads new mail from, and the outbox with each message's delivery state (without
 * SMTP configured, the outbox is a local mailbox: mail stays here instead of leaving).
 */
export function EmailTab() {
  const brand = useCurrentBrand();
  const settings = useResource((signal) => fetchMailSettings(brand.id, signal), [brand.id]);
  const outbox = useResource((signal) => listOutbox(brand.id, signal), [brand.id]);
  const [open, setOpen] = useState<string | null>(null);
  useDocumentTitle('Email', brand.name);

  return (
    <>
      <section aria-labelledby="mail-settings-title">
        <div className="section-header">
          <h2 id="mail-settings-title">Email settings</h2>
        </div>
        <ErrorMessage error={settings.error} />
        {settings.loading && !settings.data && (
          <p className="muted" role="status">
            Loading the mail settings…
          </p>
        )}
        {settings.data && (
          <MailSettingsForm
            brandId={brand.id}
            settings={settings.data}
            onSaved={(next) => settings.setData(() => next)}
          />
        )}
      </section>
      <section aria-labelledby="outbox-title" className="outbox">
        <div className="section-header">
          <h2 id="outbox-title">
            {settings.data?.outbound === 'local' ? 'Local mailbox' : 'Outbox'}{' '}
            {outbox.data && <span className="count">{outbox.data.length}</span>}
          </h2>
          <button type="button" className="button" onClick={outbox.reload}>
            Refresh
          </button>
        </div>
        <p className="muted">
          {settings.data?.outbound === 'local'
            ? 'No SMTP server is configured, so outgoing mail is kept here instead of being sent. Newest first.'
            : 'Mail Casebook sent or is sending, newest first.'}
        </p>
        <ResourceTable
          resource={outbox}
          loadingText="Loading the outbox…"
          emptyText="No mail has gone out yet."
          columns={['Sent', 'To', 'Subject', 'Delivery', 'Ticket']}
        >
          {(rows) =>
            rows.map((mail) => (
              <Fragment key={mail.id}>
                <tr className={open === mail.id ? 'row-open' : undefined}>
                  <td className="nowrap">{formatMoment(mail.createdAt)}</td>
                  <td className="mono">{mail.to.join(', ')}</td>
                  <td>{mail.subject ?? <span className="muted">(no subject)</span>}</td>
                  <td>
                    <span className={`badge badge-${DELIVERY_TONE[mail.deliveryState ?? ''] ?? 'neutral'}`}>
                      {humanize(mail.deliveryState ?? 'unknown')}
                    </span>
                  </td>
                  <td>
                    <Link to={ticketPath(brand.id, mail.ticketId)}>Open ticket</Link>
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button small"
                      aria-expanded={open === mail.id}
                      onClick={() => setOpen((current) => (current === mail.id ? null : mail.id))}
                    >
                      {open === mail.id ? 'Hide' : 'Read'}
                    </button>
                  </td>
                </tr>
                {open === mail.id && (
                  <tr className="row-details">
                    <td colSpan={6}>
                      <pre className="mail-body">{mail.bodyText}</pre>
                      {mail.emailMessageId && (
                        <p className="muted small mono">Message-ID {mail.emailMessageId}</p>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))
          }
        </ResourceTable>
      </section>
    </>
  );
}

function MailSettingsForm({
  brandId,
  settings,
  onSaved,
}: {
  brandId: string;
  settings: MailSettings;
  onSaved: (settings: MailSettings) => void;
}) {
  const [address, setAddress] = useState(settings.address);
  const [fromName, setFromName] = useState(settings.fromName);
  const [useImap, setUseImap] = useState(settings.imap !== null);
  const [host, setHost] = useState(settings.imap?.host ?? '');
  const [port, setPort] = useState(String(settings.imap?.port ?? 993));
  const [secure, setSecure] = useState(settings.imap?.secure ?? true);
  const [user, setUser] = useState(settings.imap?.user ?? '');
  const [password, setPassword] = useState('');
  const [mailbox, setMailbox] = useState(settings.imap?.mailbox ?? 'INBOX');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const next = await updateMailSettings(brandId, {
        version: settings.version,
        address: address.trim(),
        fromName: fromName.trim(),
        imap: useImap
          ? {
              host: host.trim(),
              port: Number(port) || 993,
              secure,
              user: user.trim(),
              mailbox: mailbox.trim() || 'INBOX',
              ...(password ? { password } : {}),
            }
          : null,
      });
      setSaved(true);
      onSaved(next);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form narrow-wide" onSubmit={submit}>
      <div className="form-row">
        <Field label="Support address" hint="Customers write here; replies come from it.">
          {(control) => (
            <input
              {...control}
              type="email"
              required
              value={address}
              aria-invalid={isFieldInvalid(error, 'address')}
              onChange={(e) => setAddress(e.target.value)}
            />
          )}
        </Field>
        <Field label="Sender name" hint="Shown as the sender of replies.">
          {(control) => (
            <input
              {...control}
              required
              maxLength={100}
              value={fromName}
              aria-invalid={isFieldInvalid(error, 'fromName')}
              onChange={(e) => setFromName(e.target.value)}
            />
          )}
        </Field>
      </div>
      <p className="muted small">
        Outgoing mail:{' '}
        {settings.outbound === 'smtp' ? 'sent through the SMTP server' : 'kept in the local mailbox below'}.
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={useImap} onChange={(e) => setUseImap(e.target.checked)} />
        <span>
          Read new mail from an IMAP mailbox
          <small>Otherwise mail reaches Casebook through its own SMTP receiver or the API.</small>
        </span>
      </label>
      {useImap && (
        <fieldset className="checkbox-list">
          <legend>IMAP mailbox</legend>
          <div className="form-row">
            <label className="field">
              <span>Host</span>
              <input
                required
                value={host}
                placeholder="imap.example.com"
                aria-invalid={isFieldInvalid(error, 'imap.host')}
                onChange={(e) => setHost(e.target.value)}
              />
            </label>
            <div className="form-row">
              <label className="field">
                <span>Port</span>
                <input
                  type="number"
                  min={1}
                  max={65535}
                  value={port}
                  onChange={(e) => setPort(e.target.value)}
                />
              </label>
              <label className="field">
                <span>Mailbox</span>
                <input value={mailbox} onChange={(e) => setMailbox(e.target.value)} />
              </label>
            </div>
          </div>
          <div className="form-row">
            <label className="field">
              <span>User</span>
              <input
                required
                autoComplete="off"
                value={user}
                aria-invalid={isFieldInvalid(error, 'imap.user')}
                onChange={(e) => setUser(e.target.value)}
              />
            </label>
            <Field
              label="Password"
              hint={settings.imap?.passwordSet ? 'Leave empty to keep the stored password.' : 'Required.'}
            >
              {(control) => (
                <input
                  {...control}
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  required={!settings.imap?.passwordSet}
                  aria-invalid={isFieldInvalid(error, 'imap.password')}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={secure} onChange={(e) => setSecure(e.target.checked)} />
            <span>Use TLS</span>
          </label>
        </fieldset>
      )}
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save email settings'}
        </button>
        {saved && (
          <span className="success" role="status">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
