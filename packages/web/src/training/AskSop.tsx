import { type FormEvent, useState } from 'react';
import { askSop, type SopAnswer } from '../api/training';
import { ErrorMessage } from '../ui/ErrorMessage';

/** Ask the SOP: a question in the agent's own words → the pack's matching rules, ranked. */
export function AskSop({ brandId }: { brandId: string }) {
  const [q, setQ] = useState('');
  const [answers, setAnswers] = useState<SopAnswer[] | null>(null);
  const [asked, setAsked] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setAnswers(await askSop(brandId, q.trim()));
      setAsked(q.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="training-section" aria-labelledby="ask-title">
      <h2 id="ask-title">Ask the SOP</h2>
      <form className="inline-form" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="ask-q">
          Your question
        </label>
        <input
          id="ask-q"
          className="field"
          type="search"
          placeholder="e.g. the vendor says an item is out of stock"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <button type="submit" className="button primary" disabled={busy || !q.trim()}>
          Ask
        </button>
      </form>
      <ErrorMessage error={error} />
      {answers && answers.length === 0 && (
        <p className="muted" role="status">
          No rule of this brand’s SOP uses those words. Try other words.
        </p>
      )}
      {answers && answers.length > 0 && (
        <ol className="sop-answers" aria-label={`Rules answering “${asked}”`}>
          {answers.map((a) => (
            <li key={a.rule} className="sop-answer">
              <div className="sop-answer-head">
                <span className="mono small">{a.rule}</span> <span className="muted small">{a.title}</span>
              </div>
              <p>{a.answer}</p>
              {(a.macros.length > 0 || a.processes.length > 0) && (
                <p className="chips">
                  {a.macros.map((m) => (
                    <span key={m} className="chip" title="Macro">
                      {m}
                    </span>
                  ))}
                  {a.processes.map((p) => (
                    <span key={p} className="chip" title="Process">
                      {p}
                    </span>
                  ))}
                </p>
              )}
              <p className="muted small sop-source">Source: {a.source}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
