import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  fetchAttempt,
  fetchHistory,
  startQuiz,
  type TrainingHistory,
  type TrainingSettings,
  updateTrainingSettings,
} from '../api/training';
import type { Brand } from '../api/types';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { ErrorMessage } from '../ui/ErrorMessage';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { AskSop } from './AskSop';
import { QuizBoard } from './QuizBoard';
import '../styles/training.css';

/**
 * The Training area: Ask the SOP, start a quiz on the brand's pack (its own quiz or questions
 * generated from its rules; alone or in teams), the caller's history and certification, and for
 * leads the certification settings.
 */
export function TrainingPage() {
  const brand = useCurrentBrand();
  return <Training key={brand.id} brand={brand} />;
}

function Training({ brand }: { brand: Brand }) {
  const area = areaById('training');
  useDocumentTitle(area.label, brand.name);
  const canTake = brand.allowed.includes('training.take');
  const history = useResource(
    (signal) => (canTake ? fetchHistory(brand.id, signal) : Promise.resolve(null)),
    [brand.id, canTake],
  );
  return (
    <>
      <PageHeader title={area.label} summary={area.summary} />
      {!canTake && (
        <p className="notice" role="status">
          Your role in {brand.name} does not include training (capability training.take).
        </p>
      )}
      {canTake && (
        <div className="training-layout">
          <div>
            <StartQuiz brand={brand} />
            <AskSop brandId={brand.id} />
          </div>
          <div>
            <ErrorMessage error={history.error} />
            {history.data && <Certification history={history.data} brand={brand} />}
            {history.data && <History history={history.data} brand={brand} />}
            {history.data?.settings.allowed.includes('update') && <TeamHistory brand={brand} />}
            {history.data?.settings.allowed.includes('update') && (
              <Settings
                brand={brand}
                settings={history.data.settings}
                onSaved={(settings) => history.setData((h) => (h ? { ...h, settings } : h))}
              />
            )}
          </div>
        </div>
      )}
    </>
  );
}

function StartQuiz({ brand }: { brand: Brand }) {
  const navigate = useNavigate();
  const [source, setSource] = useState<'pack' | 'generated'>('pack');
  const [seed, setSeed] = useState('1');
  const [mode, setMode] = useState<'single' | 'team'>('single');
  const [teams, setTeams] = useState('Team A, Team B');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const attempt = await startQuiz(brand.id, {
        source,
        ...(source === 'generated' ? { seed: Number(seed) || 1 } : {}),
        mode,
        ...(mode === 'team'
          ? {
              teams: teams
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean),
            }
          : {}),
      });
      navigate(`/b/${brand.id}/training/quiz/${attempt.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section className="training-section" aria-labelledby="start-title">
      <h2 id="start-title">Play a quiz</h2>
      <form className="form" onSubmit={submit}>
        <fieldset className="form-row">
          <legend>Questions</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="source"
              checked={source === 'pack'}
              onChange={() => setSource('pack')}
            />{' '}
            The pack’s own quiz
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="source"
              checked={source === 'generated'}
              onChange={() => setSource('generated')}
            />{' '}
            Generated from the pack’s rules (multiple choice)
          </label>
          {source === 'generated' && (
            <label>
              Seed{' '}
              <input
                className="field"
                type="number"
                min={1}
                value={seed}
                onChange={(e) => setSeed(e.target.value)}
                aria-describedby="seed-help"
              />
              <span id="seed-help" className="muted small">
                {' '}
                The same seed gives the same board.
              </span>
            </label>
          )}
        </fieldset>
        <fieldset className="form-row">
          <legend>Players</legend>
          <label className="checkbox">
            <input type="radio" name="mode" checked={mode === 'single'} onChange={() => setMode('single')} />{' '}
            Single player (counts for certification)
          </label>
          <label className="checkbox">
            <input type="radio" name="mode" checked={mode === 'team'} onChange={() => setMode('team')} />{' '}
            Teams taking turns
          </label>
          {mode === 'team' && (
            <label>
              Teams, comma-separated{' '}
              <input className="field" value={teams} onChange={(e) => setTeams(e.target.value)} />
            </label>
          )}
        </fieldset>
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Start quiz
          </button>
        </div>
      </form>
    </section>
  );
}

function Certification({ history, brand }: { history: TrainingHistory; brand: Brand }) {
  const cert = history.certification;
  return (
    <section className="training-section" aria-labelledby="cert-title">
      <h2 id="cert-title">Certification</h2>
      {cert ? (
        <p className="notice success" role="status">
          Certified for {brand.name} ({cert.packId} {cert.packVersion}) with {cert.percent}% on{' '}
          {new Date(cert.certifiedAt).toLocaleDateString()}.
        </p>
      ) : (
        <p className="notice" role="status">
          Not certified for {brand.name} yet: pass a single-player quiz with at least{' '}
          {history.settings.passPercent}% of its points.
          {history.settings.requireCertification &&
            ' This brand requires certification before you work its tickets.'}
        </p>
      )}
    </section>
  );
}

function History({ history, brand }: { history: TrainingHistory; brand: Brand }) {
  return (
    <section className="training-section" aria-labelledby="history-title">
      <h2 id="history-title">Your quizzes</h2>
      {history.attempts.length === 0 ? (
        <p className="muted">No quizzes played yet.</p>
      ) : (
        <table className="table" aria-labelledby="history-title">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Quiz</th>
              <th scope="col">Score</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {history.attempts.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/b/${brand.id}/training/quiz/${a.id}`}>
                    {new Date(a.startedAt).toLocaleString()}
                  </Link>
                </td>
                <td>
                  {a.source === 'pack' ? 'Pack quiz' : `Generated (seed ${a.seed})`}
                  {a.mode === 'team' ? ` · teams: ${a.teams.join(', ')}` : ''}
                </td>
                <td>
                  {a.score} / {a.maxScore}
                </td>
                <td>{resultLabel(a)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** For leads: everyone's quizzes in the brand, to review answers and override a judgement. */
function TeamHistory({ brand }: { brand: Brand }) {
  const all = useResource((signal) => fetchHistory(brand.id, signal, { all: true }), [brand.id]);
  return (
    <section className="training-section" aria-labelledby="team-history-title">
      <h2 id="team-history-title">Team’s quizzes</h2>
      <ErrorMessage error={all.error} />
      {all.data && all.data.attempts.length === 0 && <p className="muted">Nobody has played yet.</p>}
      {all.data && all.data.attempts.length > 0 && (
        <table className="table" aria-labelledby="team-history-title">
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">Score</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {all.data.attempts.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/b/${brand.id}/training/quiz/${a.id}`}>{a.user.name}</Link>{' '}
                  <span className="muted small">{new Date(a.startedAt).toLocaleDateString()}</span>
                </td>
                <td>
                  {a.score} / {a.maxScore}
                </td>
                <td>{resultLabel(a)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function resultLabel(a: { status: string; passed: boolean | null }): string {
  if (a.status === 'in_progress') return 'In progress';
  return a.passed === true ? 'Passed' : a.passed === false ? 'Not passed' : 'Finished';
}

function Settings({
  brand,
  settings,
  onSaved,
}: {
  brand: Brand;
  settings: TrainingSettings;
  onSaved: (s: TrainingSettings) => void;
}) {
  const [require, setRequire] = useState(settings.requireCertification);
  const [pass, setPass] = useState(String(settings.passPercent));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      onSaved(
        await updateTrainingSettings(brand.id, { requireCertification: require, passPercent: Number(pass) }),
      );
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="training-section" aria-labelledby="settings-title">
      <h2 id="settings-title">Certification settings</h2>
      <form className="form" onSubmit={submit}>
        <label className="checkbox">
          <input type="checkbox" checked={require} onChange={(e) => setRequire(e.target.checked)} /> Agents
          must be certified before they work {brand.name}’s tickets
        </label>
        <label>
          Pass mark (% of the board’s points){' '}
          <input
            className="field"
            type="number"
            min={1}
            max={100}
            value={pass}
            onChange={(e) => setPass(e.target.value)}
          />
        </label>
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Save
          </button>
          {saved && (
            <span className="muted small" role="status">
              Saved.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}

/** One quiz attempt on its board. */
export function QuizPage() {
  const brand = useCurrentBrand();
  const { attemptId = '' } = useParams();
  const attempt = useResource((signal) => fetchAttempt(attemptId, signal), [attemptId]);
  useDocumentTitle('Quiz', brand.name);
  return (
    <>
      <PageHeader
        title="Quiz"
        summary={`Questions from ${brand.name}’s SOP pack.`}
        actions={
          <Link className="button" to={`/b/${brand.id}/training`}>
            Back to training
          </Link>
        }
      />
      <ErrorMessage error={attempt.error} />
      {attempt.loading && !attempt.data && (
        <p className="muted" role="status">
          Loading the quiz…
        </p>
      )}
      {attempt.data && <QuizBoard attempt={attempt.data} onChange={(a) => attempt.setData(() => a)} />}
    </>
  );
}
