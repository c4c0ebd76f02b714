import { type FormEvent, useState } from 'react';
import type { Queue, TicketSort } from '../api/helpdeskTypes';
import type { Agent } from './directory';
import { type InboxFilters, SORT_LABELS } from './inboxFilters';
import { statusLabel } from './ticketText';

type InboxFiltersBarProps = {
  filters: InboxFilters;
  /** The full-text search shown, or '' for the list. */
  query: string;
  onSearch: (query: string) => void;
  statuses: string[];
  queues: Queue[];
  agents: Agent[];
  onChange: (filters: InboxFilters) => void;
};

/** Above the ticket list: full-text search, then the filters (status, queue, assignee, tag) and the sort order. */
export function InboxFiltersBar({
  filters,
  query,
  onSearch,
  statuses,
  queues,
  agents,
  onChange,
}: InboxFiltersBarProps) {
  const [text, setText] = useState(query);
  const [shownQuery, setShownQuery] = useState(query);
  if (shownQuery !== query) {
    setShownQuery(query);
    setText(query);
  }
  const [tag, setTag] = useState(filters.tag);
  const [shownTag, setShownTag] = useState(filters.tag);
  // A view chosen on the left brings its own tag; the field follows it.
  if (shownTag !== filters.tag) {
    setShownTag(filters.tag);
    setTag(filters.tag);
  }
  const set = (changes: Partial<InboxFilters>) => onChange({ ...filters, ...changes });
  const allStatuses = statuses.join(',');
  const submitTag = (event: FormEvent) => {
    event.preventDefault();
    set({ tag: tag.trim().toLowerCase() });
  };

  return (
    <div className="inbox-toolbar">
      <form
        className="inbox-search"
        aria-label="Search tickets"
        onSubmit={(event) => {
          event.preventDefault();
          onSearch(text.trim());
        }}
      >
        <input
          type="search"
          value={text}
          maxLength={200}
          aria-label="Search tickets"
          placeholder='Search messages and notes: words, "a phrase", -exclude'
          onChange={(e) => {
            setText(e.target.value);
            if (!e.target.value) onSearch('');
          }}
        />
        <button type="submit" className="button" disabled={text.trim().length < 2}>
          Search
        </button>
      </form>
      <form className="inbox-filters" aria-label="Filter tickets" onSubmit={submitTag}>
        <label className="field">
          <span>Status</span>
          <select value={filters.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">Needs work</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
            <option value={allStatuses}>Any status</option>
            {filters.status && filters.status !== allStatuses && !statuses.includes(filters.status) && (
              <option value={filters.status}>{filters.status.split(',').map(statusLabel).join(', ')}</option>
            )}
          </select>
        </label>
        <label className="field">
          <span>Queue</span>
          <select value={filters.queue} onChange={(e) => set({ queue: e.target.value })}>
            <option value="">Any queue</option>
            <option value="none">No queue</option>
            {queues.map((q) => (
              <option key={q.id} value={q.name}>
                {q.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Assignee</span>
          <select value={filters.assignee} onChange={(e) => set({ assignee: e.target.value })}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="none">Unassigned</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field inbox-tag-field">
          <span>Tag</span>
          <input
            type="search"
            value={tag}
            placeholder="any"
            maxLength={64}
            onChange={(e) => setTag(e.target.value)}
            onBlur={() => {
              if (tag.trim().toLowerCase() !== filters.tag) set({ tag: tag.trim().toLowerCase() });
            }}
          />
        </label>
        <label className="field">
          <span>Sort</span>
          <select value={filters.sort} onChange={(e) => set({ sort: e.target.value as TicketSort })}>
            {(Object.keys(SORT_LABELS) as TicketSort[]).map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </form>
    </div>
  );
}
