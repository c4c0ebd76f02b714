import { type FormEvent, useState } from 'react';
import { answerCell, finishQuiz, overrideAnswer, type QuizAttempt, type QuizCell } from '../api/training';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage } from '../ui/ErrorMessage';

/**
 * The game board: categories across, point values down. A cell opens its question; the answer is
 * judged at once and the cell shows the result. In team mode the teams take turns, each with its
 * own score.
 */
export function QuizBoard({
  attempt,
  onChange,
}: {
  attempt: QuizAttempt;
  onChange: (attempt: QuizAttempt) => void;
}) {
  const [open, setOpen] = useState<QuizCell | null>(null);
  const [error, setError] = useState<unknown>(null);
  const playing = attempt.status === 'in_progress';
  const cell = (category: string, points: number) =>
    attempt.questions.find((q) => q.category === category && q.points === points);

  const finish = async () => {
    setError(null);
    try {
      onChange(await finishQuiz(attempt.id));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="training-section" aria-labelledby="board-title">
      <div className="section-header">
        <h2 id="board-title">
          {attempt.source === 'pack' ? 'The pack’s quiz' : `Generated quiz (seed ${attempt.seed})`}
        </h2>
        {playing && attempt.allowed.includes('finish') && (
          <button type="button" className="button" onClick={finish}>
            Finish quiz
          </button>
        )}
      </div>
      <ul className="scoreboard" aria-label="Scores">
        {attempt.teams.map((t, i) => (
          <li key={t.name} className={attempt.turn === i ? 'scoreboard-turn' : undefined}>
            <span className="scoreboard-name">{t.name}</span>{' '}
            <span className="scoreboard-score" data-testid={`score-${i}`}>
              {t.score}
            </span>
            {attempt.mode === 'team' && attempt.turn === i && <span className="tag">to play</span>}
          </li>
        ))}
        <li className="muted small">of {attempt.maxScore} points</li>
      </ul>
      {!playing && (
        <p className={attempt.passed ? 'notice success' : 'notice'} role="status">
          Finished: {attempt.score} of {attempt.maxScore} points.
          {attempt.passed === true && ' Passed: you are certified for this brand.'}
          {attempt.passed === false && ' Not passed this time.'}
        </p>
      )}
      <ErrorMessage error={error} />
      <table className="quiz-board" aria-label="Quiz board">
        <thead>
          <tr>
            {attempt.categories.map((c) => (
              <th scope="col" key={c} className="quiz-category">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {attempt.points.map((points) => (
            <tr key={points}>
              {attempt.categories.map((category) => {
                const q = cell(category, points);
                if (!q) return <td key={category} className="quiz-cell-empty" />;
                const state = q.answered ? (q.answered.correct ? 'right' : 'wrong') : 'open';
                return (
                  <td key={category}>
                    <button
                      type="button"
                      className={`quiz-cell quiz-cell-${state}`}
                      aria-label={`${category} for ${points}${q.answered ? (q.answered.correct ? ', answered right' : ', answered wrong') : ''}`}
                      onClick={() => setOpen(q)}
                      disabled={!q.answered && !(playing && attempt.allowed.includes('answer'))}
                    >
                      {points}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog
        open={open !== null}
        title={open ? `${open.category} · ${open.points}` : ''}
        onClose={() => setOpen(null)}
      >
        {open && (
          <CellDialog
            key={open.id}
            attempt={attempt}
            cell={attempt.questions.find((q) => q.id === open.id) ?? open}
            onChange={onChange}
            onClose={() => setOpen(null)}
          />
        )}
      </Dialog>
    </section>
  );
}

function CellDialog({
  attempt,
  cell,
  onChange,
  onClose,
}: {
  attempt: QuizAttempt;
  cell: QuizCell;
  onChange: (attempt: QuizAttempt) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [overrideReason, setOverrideReason] = useState('');

  const send = async (answer: string) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await answerCell(attempt.id, cell.id, answer));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(text);
  };
  const override = async (correct: boolean) => {
    if (!cell.answered) return;
    setBusy(true);
    setError(null);
    try {
      onChange(await overrideAnswer(cell.answered.id, correct, overrideReason.trim()));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const team = attempt.mode === 'team' && attempt.turn !== null ? attempt.teams[attempt.turn]?.name : null;
  return (
    <div className="quiz-question">
      <p className="quiz-question-text">{cell.question}</p>
      {!cell.answered && team && <p className="muted small">{team} to answer.</p>}
      {!cell.answered && cell.kind === 'choice' && (
        <fieldset className="quiz-choices">
          <legend className="visually-hidden">Choices</legend>
          {cell.choices?.map((c) => (
            <button key={c} type="button" className="button" disabled={busy} onClick={() => void send(c)}>
              {c}
            </button>
          ))}
        </fieldset>
      )}
      {!cell.answered && cell.kind === 'free_text' && (
        <form className="form" onSubmit={submit}>
          <label htmlFor="quiz-answer">Your answer</label>
          <textarea
            id="quiz-answer"
            className="field"
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy || !text.trim()}>
              Answer
            </button>
          </div>
        </form>
      )}
      {cell.answered && (
        <div className={cell.answered.correct ? 'notice success' : 'notice warning'} role="status">
          <p>
            <strong>{cell.answered.correct ? 'Right' : 'Not right'}</strong>
            {attempt.mode === 'team' ? ` (${attempt.teams[cell.answered.team]?.name})` : ''}:{' '}
            {cell.answered.correct ? `+${cell.points}` : '0'} points.
            {cell.answered.judgedBy === 'lead' && ' Judged by a lead.'}
          </p>
          <p>You answered: {cell.answered.given || '—'}</p>
          <p>The SOP says: {cell.answered.expected}</p>
          <p className="muted small">{cell.answered.reason}</p>
        </div>
      )}
      {cell.answered && attempt.allowed.includes('override') && (
        <div className="inline-form">
          <label className="visually-hidden" htmlFor="override-reason">
            Reason for the override
          </label>
          <input
            id="override-reason"
            className="field"
            placeholder="Why (for the override)"
            value={overrideReason}
            onChange={(e) => setOverrideReason(e.target.value)}
          />
          <button
            type="button"
            className="button"
            disabled={busy || !overrideReason.trim()}
            onClick={() => void override(!cell.answered!.correct)}
          >
            Mark as {cell.answered.correct ? 'wrong' : 'right'}
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          {cell.answered ? 'Back to the board' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
