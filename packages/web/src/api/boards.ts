import { api } from './client';

/** The pack's Kanban boards, their cards, moves and comments. */

export type BoardColumn = { name: string; condition: string | null; timer: string | null };
export type BoardSummary = { id: string; title: string; columns: BoardColumn[] };

export type Card = {
  id: string;
  board: string;
  column: string;
  position: number;
  title: string;
  refs: Record<string, string>;
  ticketId: string | null;
  approvalId: string | null;
  recordRef: string | null;
  enteredColumnAt: string;
  version: number;
  comments: { id: number; body: string; author: string; at: string }[];
  moves: { column: string; allowed: boolean; reason: string | null }[];
  allowed: string[];
};

export type Board = BoardSummary & { cards: Card[]; allowed: string[] };

export async function listBoards(brandId: string, signal?: AbortSignal): Promise<BoardSummary[]> {
  return (
    await api.get<{ data: BoardSummary[] }>(`/brands/${encodeURIComponent(brandId)}/boards`, { signal })
  ).data;
}

export async function fetchBoard(brandId: string, board: string, signal?: AbortSignal): Promise<Board> {
  const path = `/brands/${encodeURIComponent(brandId)}/boards/${encodeURIComponent(board)}`;
  return (await api.get<{ data: Board }>(path, { signal })).data;
}

export async function addCard(
  brandId: string,
  board: string,
  input: { title: string; column?: string; refs?: Record<string, string>; ticketId?: string | null },
): Promise<Card> {
  const path = `/brands/${encodeURIComponent(brandId)}/boards/${encodeURIComponent(board)}/cards`;
  return (await api.post<{ data: Card }>(path, input)).data;
}

/** Moves a card; 422 when the column's condition does not hold, 409 for a stale version. */
export async function moveCard(
  cardId: string,
  input: { column: string; position?: number; version?: number },
): Promise<Card> {
  return (await api.post<{ data: Card }>(`/board-cards/${encodeURIComponent(cardId)}/move`, input)).data;
}

export async function commentOnCard(cardId: string, body: string): Promise<Card> {
  return (await api.post<{ data: Card }>(`/board-cards/${encodeURIComponent(cardId)}/comments`, { body }))
    .data;
}
