import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { Brand } from '../api/types';
import {
  addEntry,
  correctEntry,
  deleteEntry,
  fetchCategories,
  fetchTeamTimesheet,
  fetchTimer,
  fetchTimesheet,
  formatDuration,
  lockTimesheet,
  startTimer,
  stopTimer,
  type TaskCategory,
  type Timesheet,
  type WorkLogEntry,
  type WorkLogSource,
} from '../api/worklog';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { ticketPath } from '../shell/paths';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useNow } from '../ui/useNow';
import { useResource } from '../ui/useResource';
import './worklog.css';

/**
 * The Time area: the agent's timer and manual entries for work outside tickets, their entries for
 * the week with corrections until a lead locks them, and for leads the team's timesheet with the
 * lock. Time on tickets, replies, notes, records and approvals are logged by Casebook itself.
 */
export function TimePage() {
  const brand = useCurrentBrand();
  return <Time key={brand.id} brand={brand} />;
}

const SOURCE_LABELS: Record<WorkLogSource, string> = {
  ticket: 'Ticket time',
  reply: 'Reply',
  note: 'Note',
  tracker: 'Tracker record',
  approval: 'Approval',
  timer: 'Timer',
  manual: 'Manual',
};

/** A YYYY-MM-DD day moved by `days`. */
function shiftDay(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

const calendarDay = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** The earlier of two YYYY-MM-DD days. */
function earlierDay(a: string, b: string): string {
  return a.localeCompare(b) <= 0 ? a : b;
}

/** A YYYY-MM-DD day (already in the brand's time zone) as the reader writes dates. */
function formatDay(day: string): string {
  return calendarDay.format(new Date(`${day}T00:00:00Z`));
}

function Time({ brand }: { brand: Brand }) {
  const area = areaById('time');
  useDocumentTitle(area.label, brand.name);
  const logs = brand.allowed.includes('worklog.log');
  const reviews = brand.allowed.includes('worklog.review');
  const categories = useResource((signal) => fetchCategories(brand.id, signal), [brand.id]);
  const [period, setPeriod] = useState<{ from: string; to: string } | null>(null);
  const [person, setPerson] = useState<{ id: string; name: string } | null>(null);
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((n) => n + 1);

  return (
    <>
      <PageHeader title={area.label} summary={area.summary} />
      {!logs && !reviews && (
        <p className="notice" role="status">
          Your role in {brand.name} does not include the work log (capability worklog.log).
        </p>
      )}
      <ErrorMessage error={categories.error} />
      <div className="worklog-layout">
        {logs && (
          <div className="worklog-forms">
            <TimerPanel brand={brand} categories={categories.data ?? []} onChange={changed} />
            <ManualEntryForm brand={brand} categories={categories.data ?? []} onChange={changed} />
          </div>
        )}
        <div className="worklog-sheets">
          {(logs || person) && (
            <Entries
              brand={brand}
              categories={categories.data ?? []}
              period={period}
              onPeriod={setPeriod}
              person={person}
              onPerson={setPerson}
              changes={changes}
              onChange={changed}
            />
          )}
          {reviews && (
            <TeamTimesheet
              brand={brand}
              period={period}
              onPeriod={setPeriod}
              onShow={setPerson}
              changes={changes}
              onChange={changed}
            />
          )}
        </div>
      </div>
    </>
  );
}

function CategorySelect({
  id,
  label,
  categories,
  value,
  onChange,
  required = true,
}: {
  id: string;
  label: string;
  categories: TaskCategory[];
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
}) {
  const description = categories.find((c) => c.name === value)?.description;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        required={required}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={description ? `${id}-hint` : undefined}
      >
        <option value="">Choose a task category…</option>
        {categories.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
      {description && <small id={`${id}-hint`}>{description}</small>}
    </div>
  );
}

/** The start/stop timer: one runs at a time, under a task category. */
function TimerPanel({
  brand,
  categories,
  onChange,
}: {
  brand: Brand;
  categories: TaskCategory[];
  onChange: () => void;
}) {
  const timer = useResource((signal) => fetchTimer(brand.id, signal), [brand.id]);
  const [category, setCategory] = useState('');
  const [channel, setChannel] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const now = useNow(1000);
  const running = timer.data ?? null;

  const run = async (
    action: () => Promise<WorkLogEntry>,
    next: (entry: WorkLogEntry) => WorkLogEntry | null,
  ) => {
    setBusy(true);
    setError(null);
    try {
      const entry = await action();
      timer.setData(() => next(entry));
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const start = (e: FormEvent) => {
    e.preventDefault();
    void run(
      () => startTimer(brand.id, { category, channel: channel.trim() || null, note: note.trim() || null }),
      (entry) => entry,
    ).then(() => setNote(''));
  };

  return (
    <section className="worklog-section" aria-labelledby="timer-title">
      <h2 id="timer-title">Timer</h2>
      {running ? (
        <div className="worklog-timer" role="status" aria-live="polite">
          <p>
            <strong>{running.category}</strong> since {formatTime(running.startedAt)}
            {running.channel ? ` · ${running.channel}` : ''}
          </p>
          <p className="worklog-elapsed" data-testid="timer-elapsed">
            {formatDuration(Math.max(0, Math.round((now - Date.parse(running.startedAt)) / 1000)))}
          </p>
          <ErrorMessage error={error} />
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() =>
              void run(
                () => stopTimer(brand.id),
                () => null,
              )
            }
          >
            Stop timer
          </button>
        </div>
      ) : (
        <form className="form" onSubmit={start} aria-label="Start a timer">
          <CategorySelect
            id="timer-category"
            label="Timer category"
            categories={categories}
            value={category}
            onChange={setCategory}
          />
          <div className="form-row">
            <div className="field">
              <label htmlFor="timer-channel">Channel (optional)</label>
              <input
                id="timer-channel"
                value={channel}
                placeholder="phone, chat, portal…"
                onChange={(e) => setChannel(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="timer-note">Timer note (optional)</label>
              <input id="timer-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
          </div>
          <ErrorMessage error={error ?? timer.error} />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy || !category}>
              Start timer
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Work logged by hand: minutes (ending now, or from a start time) under a task category. */
function ManualEntryForm({
  brand,
  categories,
  onChange,
}: {
  brand: Brand;
  categories: TaskCategory[];
  onChange: () => void;
}) {
  const [category, setCategory] = useState('');
  const [minutes, setMinutes] = useState('15');
  const [startedAt, setStartedAt] = useState('');
  const [channel, setChannel] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved('');
    try {
      const entry = await addEntry(brand.id, {
        category,
        minutes: Number(minutes),
        ...(startedAt ? { startedAt: new Date(startedAt).toISOString() } : {}),
        channel: channel.trim() || null,
        note: note.trim() || null,
      });
      setSaved(`Logged ${formatDuration(entry.seconds)} of ${entry.category}.`);
      setNote('');
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="worklog-section" aria-labelledby="manual-title">
      <h2 id="manual-title">Log time by hand</h2>
      <p className="muted small">
        For work outside tickets: voice calls, portal work, spam checking. Time on tickets is logged for you.
      </p>
      <form className="form" onSubmit={submit} aria-label="Log time by hand">
        <CategorySelect
          id="manual-category"
          label="Category"
          categories={categories}
          value={category}
          onChange={setCategory}
        />
        <div className="form-row">
          <div className="field">
            <label htmlFor="manual-minutes">Minutes</label>
            <input
              id="manual-minutes"
              type="number"
              min={1}
              max={1440}
              required
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="manual-start">Started at</label>
            <input
              id="manual-start"
              type="datetime-local"
              value={startedAt}
              onChange={(e) => setStartedAt(e.target.value)}
              aria-describedby="manual-start-hint"
            />
            <small id="manual-start-hint">Leave empty for work that just ended.</small>
          </div>
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor="manual-channel">Channel (optional)</label>
            <input
              id="manual-channel"
              value={channel}
              placeholder="phone, chat, portal…"
              onChange={(e) => setChannel(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="manual-note">Note (optional)</label>
            <input id="manual-note" value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
        </div>
        <ErrorMessage error={error} />
        {saved && (
          <p className="success" role="status">
            {saved}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy || !category}>
            Log time
          </button>
        </div>
      </form>
    </section>
  );
}

function PeriodNav({
  label,
  period,
  onPeriod,
}: {
  label: string;
  period: { from: string; to: string };
  onPeriod: (p: { from: string; to: string }) => void;
}) {
  const days = Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000) + 1;
  return (
    <nav className="worklog-period" aria-label={label}>
      <button
        type="button"
        className="button small"
        onClick={() => onPeriod({ from: shiftDay(period.from, -days), to: shiftDay(period.to, -days) })}
      >
        ‹ Previous week
      </button>
      <span>
        {formatDay(period.from)} – {formatDay(period.to)}
      </span>
      <button
        type="button"
        className="button small"
        onClick={() => onPeriod({ from: shiftDay(period.from, days), to: shiftDay(period.to, days) })}
      >
        Next week ›
      </button>
    </nav>
  );
}

/** A person's entries for the week (one's own, or for a lead the person picked) with totals. */
function Entries({
  brand,
  categories,
  period,
  onPeriod,
  person,
  onPerson,
  changes,
  onChange,
}: {
  brand: Brand;
  categories: TaskCategory[];
  period: { from: string; to: string } | null;
  onPeriod: (p: { from: string; to: string }) => void;
  person: { id: string; name: string } | null;
  onPerson: (p: { id: string; name: string } | null) => void;
  changes: number;
  onChange: () => void;
}) {
  const sheet = useResource(
    (signal) =>
      fetchTimesheet(brand.id, { ...(period ?? {}), ...(person ? { userId: person.id } : {}) }, signal),
    [brand.id, period?.from, period?.to, person?.id, changes],
  );
  const [editing, setEditing] = useState<WorkLogEntry | null>(null);
  const [removing, setRemoving] = useState<WorkLogEntry | null>(null);
  const title = person ? `${person.name}’s entries` : 'Your entries';
  const data: Timesheet | undefined = sheet.data;

  return (
    <section className="worklog-section" aria-labelledby="entries-title">
      <div className="section-header">
        <h2 id="entries-title">{title}</h2>
        {person && (
          <button type="button" className="button small" onClick={() => onPerson(null)}>
            Back to your entries
          </button>
        )}
      </div>
      {data && <PeriodNav label="Week of the entries" period={data} onPeriod={onPeriod} />}
      {data?.lockedThrough && (
        <p className="muted small" role="status">
          Locked through {formatDay(data.lockedThrough)}: entries up to then can no longer be changed.
        </p>
      )}
      <ErrorMessage error={sheet.error} />
      {data && data.entries.length === 0 && <p className="muted">No work logged in this week.</p>}
      {data && data.entries.length > 0 && (
        <>
          <table className="table worklog-table" aria-labelledby="entries-title">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Category</th>
                <th scope="col">What</th>
                <th scope="col">Time</th>
                <th scope="col">Note</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    {formatDay(e.day)} <span className="muted small">{formatTime(e.startedAt)}</span>
                  </td>
                  <td>{e.category ?? <span className="muted">Uncategorised</span>}</td>
                  <td>
                    {SOURCE_LABELS[e.source]}
                    {e.ticketId && (
                      <>
                        {' · '}
                        <Link to={ticketPath(brand.id, e.ticketId)}>
                          {e.ticketNumber ? `#${e.ticketNumber}` : 'ticket'}
                        </Link>
                      </>
                    )}
                    {e.channel && <span className="muted small"> · {e.channel}</span>}
                  </td>
                  <td>{e.running ? 'Running' : formatDuration(e.seconds)}</td>
                  <td>{e.note}</td>
                  <td className="worklog-actions">
                    {e.locked && <span className="muted small">Locked</span>}
                    {e.allowed.includes('edit') && (
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Edit entry ${e.category ?? SOURCE_LABELS[e.source]} ${formatDay(e.day)}`}
                        onClick={() => setEditing(e)}
                      >
                        Edit
                      </button>
                    )}
                    {e.allowed.includes('delete') && (
                      <button
                        type="button"
                        className="button small danger"
                        aria-label={`Delete entry ${e.category ?? SOURCE_LABELS[e.source]} ${formatDay(e.day)}`}
                        onClick={() => setRemoving(e)}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Totals sheet={data} />
        </>
      )}
      <EditEntryDialog
        entry={editing}
        categories={categories}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          onChange();
        }}
      />
      <ConfirmDialog
        open={removing !== null}
        title="Delete entry"
        confirmLabel="Delete"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await deleteEntry(removing.id);
          setRemoving(null);
          onChange();
        }}
      >
        Delete {removing ? formatDuration(removing.seconds) : ''} of{' '}
        {removing?.category ?? 'uncategorised work'} on {removing ? formatDay(removing.day) : ''}?
      </ConfirmDialog>
    </section>
  );
}

function Totals({ sheet }: { sheet: Timesheet }) {
  return (
    <div className="worklog-totals">
      <table className="table" aria-label="Totals per day">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Time</th>
            <th scope="col">Entries</th>
          </tr>
        </thead>
        <tbody>
          {sheet.totals.days.map((d) => (
            <tr key={d.day}>
              <td>{formatDay(d.day)}</td>
              <td>{formatDuration(d.seconds)}</td>
              <td>{d.entries}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Week</th>
            <td>{formatDuration(sheet.totals.seconds)}</td>
            <td>{sheet.totals.entries}</td>
          </tr>
        </tfoot>
      </table>
      <table className="table" aria-label="Totals per category">
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Time</th>
            <th scope="col">Entries</th>
          </tr>
        </thead>
        <tbody>
          {sheet.totals.categories.map((c) => (
            <tr key={c.category ?? ''}>
              <td>{c.category ?? 'Uncategorised'}</td>
              <td>{formatDuration(c.seconds)}</td>
              <td>{c.entries}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Corrects an entry: category, minutes and note. */
function EditEntryDialog({
  entry,
  categories,
  onClose,
  onSaved,
}: {
  entry: WorkLogEntry | null;
  categories: TaskCategory[];
  onClose: () => void;
  onSaved: () => void;
}) {
  return (
    <Dialog open={entry !== null} title="Correct entry" onClose={onClose}>
      {entry && <EditEntryForm key={entry.id} entry={entry} categories={categories} onSaved={onSaved} />}
    </Dialog>
  );
}

function EditEntryForm({
  entry,
  categories,
  onSaved,
}: {
  entry: WorkLogEntry;
  categories: TaskCategory[];
  onSaved: () => void;
}) {
  const [category, setCategory] = useState(entry.category ?? '');
  const [minutes, setMinutes] = useState(
    entry.running ? '' : String(Math.max(1, Math.round(entry.seconds / 60))),
  );
  const [note, setNote] = useState(entry.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const counted = entry.seconds === 0 && entry.source !== 'manual' && entry.source !== 'timer';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const originalMinutes = Math.max(1, Math.round(entry.seconds / 60));
      await correctEntry(entry.id, {
        ...(category !== (entry.category ?? '') ? { category: category || null } : {}),
        ...(minutes && !counted && Number(minutes) !== originalMinutes ? { minutes: Number(minutes) } : {}),
        ...(note !== (entry.note ?? '') ? { note: note.trim() || null } : {}),
      });
      onSaved();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <CategorySelect
        id="edit-category"
        label="Category"
        categories={categories}
        value={category}
        onChange={setCategory}
        required={entry.source === 'manual' || entry.source === 'timer'}
      />
      {!counted && !entry.running && (
        <div className="field">
          <label htmlFor="edit-minutes">Minutes</label>
          <input
            id="edit-minutes"
            type="number"
            min={1}
            max={1440}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="edit-note">Note</label>
        <input id="edit-note" value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          Save correction
        </button>
      </div>
    </form>
  );
}

/** For leads: every member's time per day of the week, and the lock. */
function TeamTimesheet({
  brand,
  period,
  onPeriod,
  onShow,
  changes,
  onChange,
}: {
  brand: Brand;
  period: { from: string; to: string } | null;
  onPeriod: (p: { from: string; to: string }) => void;
  onShow: (p: { id: string; name: string }) => void;
  changes: number;
  onChange: () => void;
}) {
  const team = useResource(
    (signal) => fetchTeamTimesheet(brand.id, period ?? {}, signal),
    [brand.id, period?.from, period?.to, changes],
  );
  const [locking, setLocking] = useState<{ userId: string; name: string; through: string } | null>(null);
  const data = team.data;
  const days = data
    ? Array.from(
        { length: Math.round((Date.parse(data.to) - Date.parse(data.from)) / 86_400_000) + 1 },
        (_, i) => shiftDay(data.from, i),
      )
    : [];
  // Lock up to the end of the week shown, or today if the week is still going on.
  const through = data ? earlierDay(data.to, data.today) : '';

  return (
    <section className="worklog-section" aria-labelledby="team-title">
      <h2 id="team-title">Team timesheet</h2>
      {data && <PeriodNav label="Week of the team timesheet" period={data} onPeriod={onPeriod} />}
      <ErrorMessage error={team.error} />
      {data && (
        <div className="worklog-scroll">
          <table className="table worklog-table" aria-labelledby="team-title">
            <thead>
              <tr>
                <th scope="col">Person</th>
                {days.map((d) => (
                  <th key={d} scope="col">
                    {new Date(`${d}T00:00:00Z`).toLocaleDateString(undefined, {
                      weekday: 'short',
                      day: 'numeric',
                      timeZone: 'UTC',
                    })}
                  </th>
                ))}
                <th scope="col">Total</th>
                <th scope="col">Locked through</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.people.map((p) => (
                <tr key={p.userId}>
                  <th scope="row">{p.name}</th>
                  {days.map((d) => {
                    const sum = p.totals.days.find((x) => x.day === d);
                    return <td key={d}>{sum ? formatDuration(sum.seconds) : ''}</td>;
                  })}
                  <td>{formatDuration(p.totals.seconds)}</td>
                  <td>{p.lockedThrough ? formatDay(p.lockedThrough) : '—'}</td>
                  <td className="worklog-actions">
                    <button
                      type="button"
                      className="button small"
                      aria-label={`Show ${p.name}’s entries`}
                      onClick={() => {
                        onShow({ id: p.userId, name: p.name });
                        document.getElementById('entries-title')?.scrollIntoView();
                      }}
                    >
                      Entries
                    </button>
                    {(!p.lockedThrough || p.lockedThrough < through) && (
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Lock ${p.name}’s timesheet`}
                        onClick={() => setLocking({ userId: p.userId, name: p.name, through })}
                      >
                        Lock
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={locking !== null}
        title="Lock timesheet"
        confirmLabel="Lock"
        onClose={() => setLocking(null)}
        onConfirm={async () => {
          if (!locking) return;
          await lockTimesheet(brand.id, locking.userId, locking.through);
          setLocking(null);
          onChange();
        }}
      >
        Lock {locking?.name}’s timesheet through {locking ? formatDay(locking.through) : ''}? Nobody can add,
        correct or delete their work up to that day afterwards.
      </ConfirmDialog>
    </section>
  );
}
