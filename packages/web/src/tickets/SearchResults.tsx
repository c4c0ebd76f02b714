import { Link } from 'react-router';
import { type SearchHit, searchTickets } from '../api/search';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { useResource } from '../ui/useResource';
import type { InboxFilters } from './inboxFilters';
import { TicketStatusBadge } from './TicketBadges';

const KIND: Record<string, string> = { reply: 'Message', note: 'Internal note' };

/**
 * Tickets whose subject, messages or notes match the search, newest match first, with the
 * matching words highlighted. The inbox's queue, assignee and tag filters narrow it; the status
 * filter only when one is chosen, so solved tickets are found too.
 */
export function SearchResults({
  brandId,
  query,
  filters,
  ticketPath,
}: {
  brandId: string;
  query: string;
  filters: InboxFilters;
  ticketPath: (ticketId: string) => string;
}) {
  const { status, queue, assignee, tag } = filters;
  const hits = useResource(
    (signal) => searchTickets(brandId, { q: query, status, queue, assignee, tag }, signal),
    [brandId, query, status, queue, assignee, tag],
  );
  return (
    <section aria-label={`Search results for ${query}`}>
      <ErrorMessage error={hits.error} />
      {hits.loading && !hits.data && (
        <p className="muted" role="status">
          Searching…
        </p>
      )}
      {hits.data && (
        <p className="muted small inbox-summary" role="status">
          {hits.data.length === 0
            ? `No ticket matches “${query}”.`
            : `${hits.data.length}${hits.data.length === 50 ? '+' : ''} ticket${hits.data.length === 1 ? '' : 's'} match “${query}”`}
        </p>
      )}
      {hits.data && hits.data.length > 0 && (
        <ol className="search-results">
          {hits.data.map((hit) => (
            <SearchResult key={hit.ticketId} hit={hit} href={ticketPath(hit.ticketId)} />
          ))}
        </ol>
      )}
    </section>
  );
}

function SearchResult({ hit, href }: { hit: SearchHit; href: string }) {
  return (
    <li className="search-result">
      <div className="search-result-head">
        <Link to={href} className="ticket-number">
          #{hit.number}
        </Link>
        <Link to={href} className="search-result-subject">
          {hit.subject}
        </Link>
        <TicketStatusBadge status={hit.status} />
      </div>
      <ul className="search-matches">
        {hit.matches.map((match) => (
          <li key={match.messageId}>
            <span className="muted small">
              {KIND[match.kind] ?? match.kind} · {formatTime(match.at)}
            </span>
            <p className="search-snippet">
              {match.snippet.map((part, i) =>
                part.hit ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a snippet's parts never reorder.
                  <mark key={i}>{part.text}</mark>
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a snippet's parts never reorder.
                  <span key={i}>{part.text}</span>
                ),
              )}
            </p>
          </li>
        ))}
      </ul>
    </li>
  );
}
