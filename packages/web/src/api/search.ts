import { api } from './client';

/** Full-text search over ticket subjects, messages and notes (packages/server/src/routes/search.ts). */

/** A snippet in parts; `hit` parts matched the query. Rendered as text, never as HTML. */
export type SnippetPart = { text: string; hit: boolean };

export type SearchHit = {
  ticketId: string;
  number: number;
  subject: string;
  status: string;
  matches: { messageId: string; kind: string; at: string; snippet: SnippetPart[] }[];
};

export type SearchQuery = { q: string; status?: string; queue?: string; assignee?: string; tag?: string };

/** Tickets whose messages match `q` (web-search syntax: words, "phrases", -exclusions, or), newest first. */
export async function searchTickets(
  brandId: string,
  query: SearchQuery,
  signal?: AbortSignal,
): Promise<SearchHit[]> {
  const path = `/brands/${encodeURIComponent(brandId)}/search`;
  return (await api.get<{ data: SearchHit[] }>(path, { query: { ...query, limit: 50 }, signal })).data;
}
