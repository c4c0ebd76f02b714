import './boards.css';
import { type DragEvent, type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  addCard,
  type Board,
  type Card,
  commentOnCard,
  fetchBoard,
  listBoards,
  moveCard,
} from '../api/boards';
import type { Brand } from '../api/types';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath, ticketPath } from '../shell/paths';
import { EmptyState } from '../ui/EmptyState';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';

/** The Boards area: the pack's Kanban boards; cards move by drag and drop or by keyboard. */
export function BoardsPage() {
  const brand = useCurrentBrand();
  return <Boards key={brand.id} brand={brand} />;
}

function Boards({ brand }: { brand: Brand }) {
  const area = areaById('boards');
  const { board } = useParams();
  const navigate = useNavigate();
  useDocumentTitle(area.label, brand.name);
  const boards = useResource((signal) => listBoards(brand.id, signal), [brand.id]);
  const current = boards.data?.find((b) => b.id === board) ?? boards.data?.[0];

  useEffect(() => {
    if (!board && current) navigate(brandPath(brand.id, 'boards', current.id), { replace: true });
  }, [board, current, brand.id, navigate]);

  return (
    <>
      <PageHeader title={area.label} summary={area.summary} />
      <ErrorMessage error={boards.error} />
      {boards.data && boards.data.length === 0 && (
        <EmptyState title="No boards">{brand.name}’s pack defines no boards.</EmptyState>
      )}
      {boards.data && boards.data.length > 1 && (
        <nav className="board-tabs" aria-label="Boards">
          {boards.data.map((b) => (
            <Link
              key={b.id}
              to={brandPath(brand.id, 'boards', b.id)}
              aria-current={b.id === current?.id ? 'page' : undefined}
            >
              {b.title}
            </Link>
          ))}
        </nav>
      )}
      {current && <BoardView key={current.id} brand={brand} boardId={current.id} />}
    </>
  );
}

type Picked = { cardId: string; column: string; index: number };

function cardsIn(board: Board, column: string, except?: string): Card[] {
  return board.cards
    .filter((c) => c.column === column && c.id !== except)
    .sort((a, b) => a.position - b.position);
}

function cardLabel(card: Card): string {
  return card.title;
}

function BoardView({ brand, boardId }: { brand: Brand; boardId: string }) {
  const board = useResource((signal) => fetchBoard(brand.id, boardId, signal), [brand.id, boardId]);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [announce, setAnnounce] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [openCard, setOpenCard] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const handles = useRef(new Map<string, HTMLButtonElement>());

  const [refocus, setRefocus] = useState<string | null>(null);
  // The picked card is drawn at its target place, a new element each move: keep the focus on it.
  useEffect(() => {
    if (picked) handles.current.get(picked.cardId)?.focus();
  }, [picked]);
  // After a drop the card is drawn in its new column once the board has loaded again.
  useEffect(() => {
    if (!refocus || !board.data) return;
    const el = handles.current.get(refocus);
    if (el?.isConnected) {
      el.focus();
      setRefocus(null);
    }
  }, [board.data, refocus]);

  const data = board.data;
  if (!data) return <ErrorMessage error={board.error} />;

  const focusCard = (id: string) => setRefocus(id);

  async function drop(card: Card, column: string, index: number) {
    setError(null);
    try {
      const moved = await moveCard(card.id, { column, position: index, version: card.version });
      board.setData((b) => b && { ...b, cards: b.cards.map((c) => (c.id === moved.id ? moved : c)) });
      board.reload();
      setAnnounce(`${cardLabel(card)} moved to ${moved.column}, position ${moved.position + 1}.`);
      focusCard(card.id);
    } catch (e) {
      setError(e);
      setAnnounce(`${cardLabel(card)} was not moved.`);
    }
  }

  function onKey(event: KeyboardEvent<HTMLButtonElement>, card: Card) {
    if (!data) return;
    const key = event.key;
    if (!picked) {
      if (key === ' ' || key === 'Enter') {
        if (!card.allowed.includes('move')) return;
        event.preventDefault();
        const index = cardsIn(data, card.column).findIndex((c) => c.id === card.id);
        setPicked({ cardId: card.id, column: card.column, index });
        setAnnounce(
          `Picked up ${cardLabel(card)}. Column ${card.column}, position ${index + 1}. Use the arrow keys to move, Space or Enter to drop, Escape to cancel.`,
        );
      }
      return;
    }
    if (picked.cardId !== card.id) return;
    const columns = data.columns.map((c) => c.name);
    if (key === 'Escape') {
      event.preventDefault();
      setPicked(null);
      setAnnounce(`Move of ${cardLabel(card)} canceled.`);
      return;
    }
    if (key === ' ' || key === 'Enter') {
      event.preventDefault();
      const target = picked;
      setPicked(null);
      if (target.column === card.column && target.index === card.position) {
        setAnnounce(`${cardLabel(card)} dropped where it was.`);
        return;
      }
      void drop(card, target.column, target.index);
      return;
    }
    const col = columns.indexOf(picked.column);
    let next: Picked | null = null;
    if (key === 'ArrowRight' && col < columns.length - 1) {
      const column = columns[col + 1]!;
      next = { ...picked, column, index: Math.min(picked.index, cardsIn(data, column, card.id).length) };
    } else if (key === 'ArrowLeft' && col > 0) {
      const column = columns[col - 1]!;
      next = { ...picked, column, index: Math.min(picked.index, cardsIn(data, column, card.id).length) };
    } else if (key === 'ArrowUp' && picked.index > 0) {
      next = { ...picked, index: picked.index - 1 };
    } else if (key === 'ArrowDown' && picked.index < cardsIn(data, picked.column, card.id).length) {
      next = { ...picked, index: picked.index + 1 };
    }
    if (next) {
      event.preventDefault();
      setPicked(next);
      const move = card.moves.find((m) => m.column === next.column);
      const blocked = move && !move.allowed ? ` Not allowed: ${move.reason}` : '';
      setAnnounce(`${next.column}, position ${next.index + 1}.${blocked}`);
    }
  }

  function onDrop(event: DragEvent<HTMLElement>, column: string) {
    event.preventDefault();
    const id = event.dataTransfer.getData('text/plain') || dragging;
    setDragging(null);
    const card = data?.cards.find((c) => c.id === id);
    if (!card || !data) return;
    const list = event.currentTarget.querySelectorAll('[data-card-id]');
    let index = cardsIn(data, column, card.id).length;
    for (const [i, el] of Array.from(list)
      .filter((el) => el.getAttribute('data-card-id') !== card.id)
      .entries()) {
      const rect = el.getBoundingClientRect();
      if (event.clientY < rect.top + rect.height / 2) {
        index = i;
        break;
      }
    }
    void drop(card, column, index);
  }

  const pickedCard = picked ? data.cards.find((c) => c.id === picked.cardId) : undefined;
  const shown = openCard ? data.cards.find((c) => c.id === openCard) : undefined;

  return (
    <section aria-labelledby="board-title">
      <h2 id="board-title" className="section-title">
        {data.title}
      </h2>
      <p className="muted small" id="board-help">
        To move a card with the keyboard, focus it and press Space or Enter to pick it up, the arrow keys to
        choose a column and position, and Space or Enter to drop it (Escape cancels).
      </p>
      <p className="visually-hidden" aria-live="assertive" role="status" data-testid="board-announcer">
        {announce}
      </p>
      <ErrorMessage error={error} />
      <div className="board-columns">
        {data.columns.map((column) => {
          const cards = cardsIn(data, column.name, picked?.cardId);
          const placeholderAt = picked && picked.column === column.name ? picked.index : -1;
          const blocked =
            pickedCard && picked?.column === column.name
              ? pickedCard.moves.find((m) => m.column === column.name && !m.allowed)
              : undefined;
          return (
            <section
              key={column.name}
              className={`board-column${picked?.column === column.name ? ' target' : ''}`}
              aria-label={column.name}
              data-column={column.name}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => onDrop(e, column.name)}
            >
              <h3>
                {column.name} <span className="count">{cardsIn(data, column.name).length}</span>
              </h3>
              {column.condition && <p className="column-note">Entry: {column.condition}</p>}
              {column.timer && <p className="column-note">Timer: {column.timer}</p>}
              <ul>
                {[...cards, ...(placeholderAt >= cards.length ? [null] : [])].flatMap((card, i) => {
                  const items = [];
                  if (i === placeholderAt && pickedCard) {
                    items.push(
                      <li key="placeholder" className={`card placeholder${blocked ? ' blocked' : ''}`}>
                        <CardHandle
                          card={pickedCard}
                          picked
                          onKey={onKey}
                          register={(el) => {
                            if (el) handles.current.set(pickedCard.id, el);
                          }}
                          onOpen={() => setOpenCard(pickedCard.id)}
                        />
                        {blocked && <small className="blocked-reason">{blocked.reason}</small>}
                      </li>,
                    );
                  }
                  if (card) {
                    items.push(
                      <li
                        key={card.id}
                        className={`card${dragging === card.id ? ' dragging' : ''}`}
                        data-card-id={card.id}
                        draggable={card.allowed.includes('move')}
                        onDragStart={(e) => {
                          e.dataTransfer.setData('text/plain', card.id);
                          setDragging(card.id);
                        }}
                        onDragEnd={() => setDragging(null)}
                      >
                        <CardHandle
                          card={card}
                          picked={false}
                          onKey={onKey}
                          register={(el) => {
                            if (el) handles.current.set(card.id, el);
                          }}
                          onOpen={() => setOpenCard(card.id)}
                        />
                      </li>,
                    );
                  }
                  return items;
                })}
              </ul>
            </section>
          );
        })}
      </div>
      {data.allowed.includes('add_card') && (
        <AddCardForm brand={brand} board={data} onAdded={() => board.reload()} />
      )}
      {shown && (
        <CardPanel
          brand={brand}
          card={shown}
          onClose={() => {
            setOpenCard(null);
            focusCard(shown.id);
          }}
          onChanged={() => board.reload()}
        />
      )}
    </section>
  );
}

function CardHandle({
  card,
  picked,
  onKey,
  register,
  onOpen,
}: {
  card: Card;
  picked: boolean;
  onKey: (e: KeyboardEvent<HTMLButtonElement>, card: Card) => void;
  register: (el: HTMLButtonElement | null) => void;
  onOpen: () => void;
}) {
  const refs = Object.values(card.refs).join(' · ');
  const last = card.comments[card.comments.length - 1];
  return (
    <div className="card-body">
      <button
        type="button"
        ref={register}
        className="card-handle"
        aria-roledescription="draggable card"
        aria-describedby="board-help"
        aria-pressed={picked}
        onKeyDown={(e) => onKey(e, card)}
      >
        <strong>{card.title}</strong>
        {refs && <span className="muted small">{refs}</span>}
        {last && <span className="card-comment">“{last.body}”</span>}
      </button>
      <button type="button" className="button small link" onClick={onOpen} aria-label={`Open ${card.title}`}>
        Open
      </button>
    </div>
  );
}

function CardPanel({
  brand,
  card,
  onClose,
  onChanged,
}: {
  brand: Brand;
  card: Card;
  onClose: () => void;
  onChanged: () => void;
}) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  async function comment(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) return;
    setError(null);
    try {
      await commentOnCard(card.id, body.trim());
      setBody('');
      onChanged();
    } catch (e) {
      setError(e);
    }
  }
  async function moveTo(column: string) {
    setError(null);
    try {
      await moveCard(card.id, { column, version: card.version });
      onChanged();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <aside className="card-panel" aria-labelledby="card-panel-title">
      <div className="card-panel-head">
        <h3 id="card-panel-title" tabIndex={-1} ref={heading}>
          {card.title}
        </h3>
        <button type="button" className="button small" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted small">
        In <strong>{card.column}</strong> since {formatTime(card.enteredColumnAt)}
        {card.ticketId && (
          <>
            {' · '}
            <Link to={ticketPath(brand.id, card.ticketId)}>Open the ticket</Link>
          </>
        )}
      </p>
      {card.allowed.includes('move') && (
        <div className="card-moves">
          <span className="small">Move to:</span>
          {card.moves.map((m) => (
            <button
              key={m.column}
              type="button"
              className="button small"
              disabled={!m.allowed}
              title={m.reason ?? undefined}
              onClick={() => moveTo(m.column)}
            >
              {m.column}
            </button>
          ))}
          {card.moves
            .filter((m) => !m.allowed && m.reason)
            .map((m) => (
              <p key={m.column} className="muted small">
                {m.column}: {m.reason}
              </p>
            ))}
        </div>
      )}
      <h4>Comments</h4>
      <ol className="card-comments" aria-label="Comments">
        {card.comments.map((c) => (
          <li key={c.id}>
            <p>{c.body}</p>
            <small className="muted">
              {c.author} · {formatTime(c.at)}
            </small>
          </li>
        ))}
      </ol>
      {card.allowed.includes('comment') && (
        <form onSubmit={comment} className="card-comment-form">
          <label htmlFor="card-comment">Comment</label>
          <textarea id="card-comment" value={body} onChange={(e) => setBody(e.target.value)} rows={2} />
          <button type="submit" className="button primary small">
            Add comment
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
    </aside>
  );
}

/** Adds a card to the board's first column (or another), with its references and ticket. */
function AddCardForm({ brand, board, onAdded }: { brand: Brand; board: Board; onAdded: () => void }) {
  const [title, setTitle] = useState('');
  const [refs, setRefs] = useState('');
  const [ticketId, setTicketId] = useState('');
  const [column, setColumn] = useState(board.columns[0]?.name ?? '');
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const pairs = refs
      .split(',')
      .map((p) => p.split('=').map((x) => x.trim()))
      .filter((p): p is [string, string] => p.length === 2 && Boolean(p[0]) && Boolean(p[1]));
    try {
      await addCard(brand.id, board.id, {
        title: title.trim(),
        column,
        refs: Object.fromEntries(pairs),
        ticketId: ticketId.trim() || null,
      });
      setTitle('');
      setRefs('');
      setTicketId('');
      onAdded();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <details className="add-card">
      <summary>Add a card</summary>
      <form onSubmit={submit}>
        <label className="field">
          <span>Title</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} required />
        </label>
        <label className="field">
          <span>Column</span>
          <select value={column} onChange={(e) => setColumn(e.target.value)}>
            {board.columns.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>References (name=value, comma separated, e.g. v_number=V1042, s_number=S7781)</span>
          <input value={refs} onChange={(e) => setRefs(e.target.value)} />
        </label>
        <label className="field">
          <span>Ticket (id, optional)</span>
          <input value={ticketId} onChange={(e) => setTicketId(e.target.value)} />
        </label>
        <button type="submit" className="button primary small">
          Add card
        </button>
        <ErrorMessage error={error} />
      </form>
    </details>
  );
}
