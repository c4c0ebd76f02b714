import { type FormEvent, useState } from 'react';
import { createSlaPolicy, deleteSlaPolicy, listSlaPolicies, updateSlaPolicy } from '../api/helpdesk';
import type { BusinessHours, Priority, SlaPolicy, SlaPolicyInput } from '../api/helpdeskTypes';
import { useCurrentBrand } from '../shell/currentBrand';
import { PRIORITIES, priorityLabel } from '../tickets/ticketText';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { ResourceTable } from '../ui/ResourceTable';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Minutes as a short duration: 90 → "1 h 30 min", 2400 → "40 h". */
export function minutesText(minutes: number | null): string {
  if (minutes === null) return '—';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}

function hoursText(hours: BusinessHours | null): string {
  if (!hours) return 'Around the clock';
  const days = hours.days.map((d) => DAYS[d - 1]).join(', ');
  const holidays = hours.holidays.length
    ? ` · ${hours.holidays.length} holiday${hours.holidays.length === 1 ? '' : 's'}`
    : '';
  return `${days} ${hours.start}–${hours.end} ${hours.timezone}${holidays}`;
}

/**
 * The brand's SLA policies, matched in order by the ticket's priority (a policy with no priorities
 * matches every ticket): targets for the first response, each next response and resolution, how
 * long before a target "due soon" starts, and the business hours they count in.
 */
export function SlaTab() {
  const brand = useCurrentBrand();
  const policies = useResource((signal) => listSlaPolicies(brand.id, signal), [brand.id]);
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const [deleting, setDeleting] = useState<SlaPolicy | null>(null);
  useDocumentTitle('SLA policies', brand.name);

  return (
    <section aria-labelledby="sla-policies-title">
      <div className="section-header">
        <h2 id="sla-policies-title">
          SLA policies {policies.data && <span className="count">{policies.data.length}</span>}
        </h2>
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          New policy
        </button>
      </div>
      <p className="muted">
        A ticket is measured by the first policy, in this order, that covers its priority. Changes apply to
        tickets as they next change.
      </p>
      <ResourceTable
        resource={policies}
        loadingText="Loading SLA policies…"
        emptyText="No SLA policy: tickets have no due times."
        columns={[
          'Policy',
          'Priorities',
          'First response',
          'Next response',
          'Resolution',
          'Due soon',
          'Hours',
        ]}
      >
        {(rows) =>
          rows.map((policy) => (
            <tr key={policy.id}>
              <td>{policy.name}</td>
              <td>{policy.priorities.length ? policy.priorities.map(priorityLabel).join(', ') : 'Any'}</td>
              <td className="nowrap">{minutesText(policy.firstResponseMinutes)}</td>
              <td className="nowrap">{minutesText(policy.nextResponseMinutes)}</td>
              <td className="nowrap">{minutesText(policy.resolutionMinutes)}</td>
              <td className="nowrap">{minutesText(policy.warnMinutes)} before</td>
              <td className="small">{hoursText(policy.businessHours)}</td>
              <td className="row-actions">
                {policy.allowed.includes('update') && (
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Edit ${policy.name}`}
                    onClick={() => setEditing(policy)}
                  >
                    Edit
                  </button>
                )}
                {policy.allowed.includes('delete') && (
                  <button
                    type="button"
                    className="button small danger-text"
                    aria-label={`Delete ${policy.name}`}
                    onClick={() => setDeleting(policy)}
                  >
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))
        }
      </ResourceTable>
      <Dialog
        open={editing !== null}
        title={editing === 'new' ? 'New SLA policy' : `Edit SLA policy “${editing?.name ?? ''}”`}
        onClose={() => setEditing(null)}
        size="wide"
      >
        <SlaForm
          brandId={brand.id}
          policy={editing === 'new' ? null : editing}
          position={policies.data?.length ?? 0}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            policies.reload();
          }}
        />
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete SLA policy"
        confirmLabel="Delete policy"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await deleteSlaPolicy(deleting.id);
          policies.reload();
        }}
      >
        Delete <strong>{deleting?.name}</strong>? Tickets it measured are measured by the next matching policy
        when they change.
      </ConfirmDialog>
    </section>
  );
}

const minutesOrNull = (text: string) => (text.trim() === '' ? null : Number(text));

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

function SlaForm({
  brandId,
  policy,
  position,
  onClose,
  onSaved,
}: {
  brandId: string;
  policy: SlaPolicy | null;
  position: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(policy?.name ?? '');
  const [priorities, setPriorities] = useState<Set<Priority>>(new Set(policy?.priorities ?? []));
  const [order, setOrder] = useState(String(policy?.position ?? position));
  const [first, setFirst] = useState(String(policy?.firstResponseMinutes ?? ''));
  const [nextReply, setNextReply] = useState(String(policy?.nextResponseMinutes ?? ''));
  const [resolution, setResolution] = useState(String(policy?.resolutionMinutes ?? ''));
  const [warn, setWarn] = useState(String(policy?.warnMinutes ?? 60));
  const hours = policy?.businessHours ?? null;
  const [businessOnly, setBusinessOnly] = useState(hours !== null);
  const [timezone, setTimezone] = useState(
    hours?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [days, setDays] = useState<Set<number>>(new Set(hours?.days ?? [1, 2, 3, 4, 5]));
  const [start, setStart] = useState(hours?.start ?? '09:00');
  const [end, setEnd] = useState(hours?.end ?? '17:00');
  const [holidays, setHolidays] = useState<string[]>(hours?.holidays ?? []);
  const [holiday, setHoliday] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const toggle = <T,>(set: Set<T>, value: T, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const input: SlaPolicyInput = {
      name: name.trim(),
      priorities: PRIORITIES.filter((p) => priorities.has(p)),
      position: Number(order) || 0,
      firstResponseMinutes: minutesOrNull(first),
      nextResponseMinutes: minutesOrNull(nextReply),
      resolutionMinutes: minutesOrNull(resolution),
      warnMinutes: Number(warn) || 0,
      businessHours: businessOnly
        ? { timezone, days: [...days].sort(), start, end, holidays: [...holidays].sort() }
        : null,
    };
    try {
      if (policy) await updateSlaPolicy(policy.id, { ...input, version: policy.version });
      else await createSlaPolicy(brandId, input);
      onSaved();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const minutesField = (label: string, value: string, set: (v: string) => void, field: string) => (
    <Field label={label} hint={value.trim() ? minutesText(Number(value)) : 'No target'}>
      {(control) => (
        <input
          {...control}
          type="number"
          min={1}
          max={525_600}
          value={value}
          placeholder="minutes"
          aria-invalid={isFieldInvalid(error, field)}
          onChange={(e) => set(e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <label className="field">
          <span>Name</span>
          <input
            required
            maxLength={200}
            value={name}
            aria-invalid={isFieldInvalid(error, 'name')}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <Field label="Order" hint="Lower numbers are matched first.">
          {(control) => (
            <input
              {...control}
              type="number"
              min={0}
              max={1000}
              value={order}
              onChange={(e) => setOrder(e.target.value)}
            />
          )}
        </Field>
      </div>
      <fieldset className="checkbox-list inline-checks">
        <legend>Priorities (none: every ticket)</legend>
        {PRIORITIES.map((p) => (
          <label key={p} className="checkbox">
            <input
              type="checkbox"
              checked={priorities.has(p)}
              onChange={(e) => setPriorities((s) => toggle(s, p, e.target.checked))}
            />
            <span>{priorityLabel(p)}</span>
          </label>
        ))}
      </fieldset>
      <div className="form-row form-row-4">
        {minutesField('First response (minutes)', first, setFirst, 'firstResponseMinutes')}
        {minutesField('Next response (minutes)', nextReply, setNextReply, 'nextResponseMinutes')}
        {minutesField('Resolution (minutes)', resolution, setResolution, 'resolutionMinutes')}
        <Field label="Due soon (minutes before)" hint={minutesText(Number(warn) || 0)}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={0}
              max={10_080}
              value={warn}
              aria-invalid={isFieldInvalid(error, 'warnMinutes')}
              onChange={(e) => setWarn(e.target.value)}
            />
          )}
        </Field>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={businessOnly} onChange={(e) => setBusinessOnly(e.target.checked)} />
        <span>
          Count business hours only
          <small>Otherwise the targets run around the clock.</small>
        </span>
      </label>
      {businessOnly && (
        <fieldset className="checkbox-list">
          <legend>Business hours</legend>
          <div className="form-row">
            <label className="field">
              <span>Time zone</span>
              <input
                list="sla-time-zones"
                required
                value={timezone}
                aria-invalid={isFieldInvalid(error, 'businessHours.timezone')}
                onChange={(e) => setTimezone(e.target.value)}
              />
              <datalist id="sla-time-zones">
                {timeZones().map((tz) => (
                  <option key={tz} value={tz} />
                ))}
              </datalist>
            </label>
            <div className="form-row">
              <label className="field">
                <span>Opens</span>
                <input type="time" required value={start} onChange={(e) => setStart(e.target.value)} />
              </label>
              <label className="field">
                <span>Closes</span>
                <input
                  type="time"
                  required
                  value={end}
                  aria-invalid={isFieldInvalid(error, 'businessHours.end')}
                  onChange={(e) => setEnd(e.target.value)}
                />
              </label>
            </div>
          </div>
          <fieldset className="inline-checks plain-fieldset">
            <legend className="visually-hidden">Business days</legend>
            {DAYS.map((day, i) => (
              <label key={day} className="checkbox">
                <input
                  type="checkbox"
                  checked={days.has(i + 1)}
                  onChange={(e) => setDays((s) => toggle(s, i + 1, e.target.checked))}
                />
                <span>{day}</span>
              </label>
            ))}
          </fieldset>
          <div className="holidays">
            <span className="small muted">Holidays (no business hours)</span>
            <ul className="chips">
              {holidays.map((d) => (
                <li key={d} className="chip chip-removable">
                  {d}
                  <button
                    type="button"
                    className="chip-remove"
                    aria-label={`Remove holiday ${d}`}
                    onClick={() => setHolidays((list) => list.filter((x) => x !== d))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
            <div className="tag-form">
              <input
                type="date"
                value={holiday}
                aria-label="Holiday to add"
                onChange={(e) => setHoliday(e.target.value)}
              />
              <button
                type="button"
                className="button small"
                disabled={!holiday || holidays.includes(holiday)}
                onClick={() => {
                  setHolidays((list) => [...list, holiday]);
                  setHoliday('');
                }}
              >
                Add holiday
              </button>
            </div>
          </div>
        </fieldset>
      )}
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : policy ? 'Save policy' : 'Create policy'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
