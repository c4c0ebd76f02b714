import './trackers.css';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  addEvidence,
  commentOnRecord,
  evidenceUrl,
  fetchRecord,
  type LinkKind,
  linkRecordTo,
  listTrackerTypes,
  moveRecord,
  type TrackerRecord,
} from '../api/trackers';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath, ticketPath } from '../shell/paths';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatBytes, formatTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { EditRecordDialog } from './EditRecordDialog';
import { cellText } from './format';

/** Reads a picked file as base64 for the upload's JSON body. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

const HISTORY_TEXT: Record<string, string> = {
  created: 'logged the record',
  fields_changed: 'changed fields',
  state_changed: 'moved it',
  commented: 'commented',
  evidence_added: 'added evidence',
  linked: 'linked it',
};

/** What a record links to, with the number a person names it by (the placeholder is an example). */
const LINK_KINDS: [LinkKind, string, string][] = [
  ['order', 'Order', 'Order number'],
  ['po', 'Purchase order', 'PO number'],
  ['ticket', 'Ticket', 'Ticket number, e.g. 1042'],
  ['record', 'Another record', 'Record number, e.g. 17'],
];

/** A linked record: its page, found through its type (the link carries only its id). */
function RecordLink({ brandId, recordId, label }: { brandId: string; recordId: string; label: string }) {
  const linked = useResource((signal) => fetchRecord(recordId, signal), [recordId]);
  if (!linked.data) return <span>{label}</span>;
  return <Link to={brandPath(brandId, 'trackers', linked.data.type, recordId)}>{label}</Link>;
}

/** One tracker record: its fields, state moves, links, comments, evidence albums and history. */
export function RecordPage() {
  const brand = useCurrentBrand();
  const { recordId = '', type = '' } = useParams();
  const record = useResource((signal) => fetchRecord(recordId, signal), [recordId]);
  useDocumentTitle(record.data?.label ?? 'Record', brand.name);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [comment, setComment] = useState('');
  const [album, setAlbum] = useState('Proof');
  const [editing, setEditing] = useState(false);
  const [linkKind, setLinkKind] = useState<LinkKind>('order');
  const [linkNumber, setLinkNumber] = useState('');
  const types = useResource((signal) => listTrackerTypes(brand.id, signal), [brand.id]);
  const tracker = types.data?.find((t) => t.type === type);

  const run = async (work: () => Promise<TrackerRecord>) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await work();
      record.setData(() => saved);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const r = record.data;
  const submitComment = async (event: FormEvent) => {
    event.preventDefault();
    if (comment.trim() && (await run(() => commentOnRecord(recordId, comment.trim())))) setComment('');
  };
  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    const list = await Promise.all(
      [...files].map(async (f) => ({
        filename: f.name,
        contentType: f.type,
        contentBase64: await readBase64(f),
      })),
    );
    await run(() => addEvidence(recordId, album.trim() || 'Proof', list));
  };
  const submitLink = async (event: FormEvent) => {
    event.preventDefault();
    if (linkNumber.trim() && (await run(() => linkRecordTo(recordId, linkKind, linkNumber.trim()))))
      setLinkNumber('');
  };
  const albums = r ? [...new Set(r.evidence.map((e) => e.album))] : [];

  return (
    <>
      <p className="breadcrumb">
        <Link to={brandPath(brand.id, 'trackers', type)}>← {r?.title ?? 'Trackers'}</Link>
      </p>
      <ErrorMessage error={record.error} />
      {r && (
        <>
          <PageHeader
            title={r.label}
            summary={`${r.state} · logged ${formatTime(r.createdAt)} by ${r.createdBy}`}
            actions={
              r.allowed.includes('update') && tracker ? (
                <button type="button" className="button" onClick={() => setEditing(true)}>
                  Edit fields
                </button>
              ) : undefined
            }
          />
          {editing && tracker && (
            <EditRecordDialog
              tracker={tracker}
              record={r}
              onClose={() => setEditing(false)}
              onSaved={(saved) => {
                record.setData(() => saved);
                setEditing(false);
              }}
            />
          )}
          <ErrorMessage error={error} />
          {r.allowed.includes('move') && r.nextStates.length > 0 && (
            <fieldset className="tracker-moves">
              <legend className="visually-hidden">Move to</legend>
              {r.nextStates.map((s) => (
                <button
                  key={s}
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => void run(() => moveRecord(recordId, { state: s, version: r.version }))}
                >
                  Move to {s}
                </button>
              ))}
            </fieldset>
          )}
          <div className="record-layout">
            <section aria-labelledby="record-fields">
              <h2 id="record-fields" className="section-title">
                Fields
              </h2>
              <dl className="record-fields">
                {(
                  tracker?.fields ??
                  Object.keys(r.fields).map((name) => ({
                    name,
                    label: name,
                    type: 'text',
                    required: false,
                    options: null,
                  }))
                )
                  .filter((f) => r.fields[f.name] !== undefined)
                  .map((f) => (
                    <div key={f.name}>
                      <dt>{f.label}</dt>
                      <dd>{cellText(f, r.fields[f.name])}</dd>
                    </div>
                  ))}
              </dl>
              <h2 className="section-title">Comments</h2>
              <ul className="record-comments">
                {r.comments.map((c) => (
                  <li key={c.id}>
                    <strong>{c.author}</strong> <span className="muted small">{formatTime(c.createdAt)}</span>
                    <p>{c.body}</p>
                  </li>
                ))}
              </ul>
              <form className="form" onSubmit={submitComment}>
                <label className="field">
                  <span>Comment</span>
                  <textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
                </label>
                <div className="form-actions">
                  <button type="submit" className="button" disabled={busy}>
                    Add comment
                  </button>
                </div>
              </form>
            </section>
            <aside aria-label="Links, evidence and history">
              <h2 className="section-title">Links</h2>
              <ul className="record-links">
                {r.links.map((l) => (
                  <li key={`${l.kind}-${l.id}`}>
                    {l.kind === 'ticket' ? (
                      <Link to={ticketPath(brand.id, l.id)}>Ticket {l.label}</Link>
                    ) : l.kind === 'order' ? (
                      <span>Order {l.label}</span>
                    ) : l.kind === 'po' ? (
                      <span>PO {l.label}</span>
                    ) : l.kind === 'record' ? (
                      <RecordLink brandId={brand.id} recordId={l.id} label={l.label} />
                    ) : (
                      <span>{l.label}</span>
                    )}
                  </li>
                ))}
              </ul>
              {r.allowed.includes('link') && (
                <form className="form record-link-form" aria-label="Link this record" onSubmit={submitLink}>
                  <label className="field">
                    <span>Link to</span>
                    <select value={linkKind} onChange={(e) => setLinkKind(e.target.value as LinkKind)}>
                      {LINK_KINDS.filter(
                        ([kind]) => kind !== 'ticket' || brand.allowed.includes('tickets.work'),
                      )
                        .filter(([kind]) => !brand.role.external || kind === 'order' || kind === 'po')
                        .map(([kind, label]) => (
                          <option key={kind} value={kind}>
                            {label}
                          </option>
                        ))}
                    </select>
                  </label>
                  <label className="field">
                    <span>Number</span>
                    <input
                      value={linkNumber}
                      placeholder={LINK_KINDS.find(([k]) => k === linkKind)![2]}
                      onChange={(e) => setLinkNumber(e.target.value)}
                    />
                  </label>
                  <div className="form-actions">
                    <button type="submit" className="button" disabled={busy || !linkNumber.trim()}>
                      Link
                    </button>
                  </div>
                </form>
              )}
              <h2 className="section-title">Evidence</h2>
              {albums.map((a) => (
                <div key={a}>
                  <h3 className="small">{a}</h3>
                  <ul className="record-evidence">
                    {r.evidence
                      .filter((e) => e.album === a)
                      .map((e) => (
                        <li key={e.id}>
                          <a href={evidenceUrl(e.id)} download={e.filename}>
                            {e.filename}
                          </a>{' '}
                          <span className="muted small">{formatBytes(e.size)}</span>
                        </li>
                      ))}
                  </ul>
                </div>
              ))}
              <label className="field">
                <span>Album</span>
                <input value={album} onChange={(e) => setAlbum(e.target.value)} />
              </label>
              <label className="field">
                <span>Add photos</span>
                <input
                  type="file"
                  accept="image/*,application/pdf"
                  multiple
                  disabled={busy}
                  onChange={(e) => void upload(e.target.files)}
                />
              </label>
              <h2 className="section-title">History</h2>
              <ol className="record-history">
                {r.history.map((h) => (
                  <li key={h.id}>
                    <span>
                      {h.by} {HISTORY_TEXT[h.kind] ?? h.kind}
                      {h.kind === 'state_changed' && ` to ${(h.data as { to?: string }).to ?? ''}`}
                    </span>{' '}
                    <span className="muted small">{formatTime(h.at)}</span>
                  </li>
                ))}
              </ol>
            </aside>
          </div>
        </>
      )}
    </>
  );
}
