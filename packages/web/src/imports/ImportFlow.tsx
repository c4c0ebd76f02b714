import { useEffect, useRef, useState } from 'react';
import {
  fetchImportRun,
  type ImportKind,
  type ImportRun,
  type OrderPreview,
  previewOrderImport,
  previewTrackingImport,
  startImport,
  type TrackingPreview,
} from '../api/imports';
import { ErrorMessage } from '../ui/ErrorMessage';
import { PreviewTable } from './PreviewTable';

type Preview = { kind: 'tracking'; data: TrackingPreview } | { kind: 'orders'; data: OrderPreview };

const POLL_MS = 500;

/**
 * One import, start to end: choose a file, preview it (nothing is written), then apply or cancel.
 * Applying runs in the background; the page polls the run and shows a progress bar until it is done.
 */
export function ImportFlow({ brandId, kind, hint }: { brandId: string; kind: ImportKind; hint: string }) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [run, setRun] = useState<ImportRun | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);

  const reset = () => {
    setFile(null);
    setPreview(null);
    setRun(null);
    setError(null);
    if (input.current) input.current.value = '';
  };

  const choose = async (chosen: File | undefined) => {
    reset();
    if (!chosen) return;
    setBusy(true);
    try {
      const text = await chosen.text();
      setFile({ name: chosen.name, text });
      setPreview(
        kind === 'tracking'
          ? { kind, data: await previewTrackingImport(brandId, text) }
          : { kind, data: await previewOrderImport(brandId, text) },
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setRun(await startImport(brandId, kind, file.text));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // Poll the run until it is done or failed.
  const runId = run?.id;
  const finished = run?.state === 'done' || run?.state === 'failed';
  useEffect(() => {
    if (!runId || finished) return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      fetchImportRun(brandId, runId, controller.signal).then(setRun, (e) => {
        if (!controller.signal.aborted) setError(e);
      });
    }, POLL_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [brandId, runId, finished]);

  const ready =
    preview?.kind === 'tracking'
      ? preview.data.valid.length
      : preview?.kind === 'orders'
        ? preview.data.orders.length
        : 0;

  return (
    <section className="import-flow" aria-label={kind === 'tracking' ? 'Tracking import' : 'Order import'}>
      <div className="field">
        <label htmlFor={`import-file-${kind}`}>CSV file</label>
        <input
          id={`import-file-${kind}`}
          ref={input}
          type="file"
          accept=".csv,text/csv"
          disabled={busy || (run !== null && !finished)}
          onChange={(e) => choose(e.target.files?.[0])}
          aria-describedby={`import-hint-${kind}`}
        />
        <small id={`import-hint-${kind}`}>{hint}</small>
      </div>
      {busy && !preview && (
        <p className="muted" role="status">
          Checking {file?.name ?? 'the file'}…
        </p>
      )}
      <ErrorMessage error={error} />
      {preview && !run && (
        <>
          <PreviewSummary preview={preview} />
          <div className="import-actions">
            <button type="button" className="button primary" onClick={apply} disabled={busy || ready === 0}>
              {kind === 'tracking'
                ? `Apply ${ready} row${ready === 1 ? '' : 's'}`
                : `Import ${ready} order${ready === 1 ? '' : 's'}`}
            </button>
            <button type="button" className="button" onClick={reset} disabled={busy}>
              Cancel
            </button>
          </div>
          <PreviewTable preview={preview} />
        </>
      )}
      {run && <RunProgress run={run} onDone={reset} />}
    </section>
  );
}

function PreviewSummary({ preview }: { preview: Preview }) {
  const { data } = preview;
  const flagged = new Set(data.problems.map((p) => p.row)).size;
  return (
    <div className="import-summary" role="status">
      {preview.kind === 'tracking' ? (
        <p>
          {preview.data.rows} rows: <strong>{preview.data.valid.length} ready</strong>,{' '}
          {preview.data.alreadyImported.length} already imported, <strong>{flagged} flagged</strong>
          {preview.data.canceled > 0 && ` (${preview.data.canceled} for canceled POs or SKUs)`}.
        </p>
      ) : (
        <p>
          {preview.data.rows} rows: <strong>{preview.data.orders.length} orders ready</strong>,{' '}
          {preview.data.alreadyImported.length} already imported, <strong>{flagged} rows flagged</strong>.
        </p>
      )}
      {preview.kind === 'tracking' && preview.data.reviewRequired && (
        <p className="import-review">
          More than ten tracking numbers: review the file for canceled POs and SKUs before applying it.
        </p>
      )}
      {flagged > 0 && <p className="muted small">Flagged rows are left out; the others are applied.</p>}
    </div>
  );
}

function RunProgress({ run, onDone }: { run: ImportRun; onDone: () => void }) {
  const percent = run.rows > 0 ? Math.round((run.processed / run.rows) * 100) : 0;
  const result = run.result as Record<string, unknown> | null;
  return (
    <div className="import-run">
      <label htmlFor={`run-${run.id}`}>
        {run.state === 'done'
          ? 'Import finished'
          : run.state === 'failed'
            ? 'Import failed'
            : run.state === 'queued'
              ? 'Waiting to start…'
              : `Importing… ${run.processed} of ${run.rows} rows`}
      </label>
      <progress
        id={`run-${run.id}`}
        max={100}
        value={run.state === 'done' ? 100 : percent}
        aria-valuetext={`${run.state === 'done' ? 100 : percent}%`}
      />
      {run.state === 'failed' && <p className="error-message">{run.error}</p>}
      {run.state === 'done' && result && (
        <p role="status" className="import-result">
          {run.kind === 'tracking'
            ? `${result.shipments} shipments added, ${result.autoShipped} POs set to Shipped, ${(result.alreadyImported as unknown[]).length} rows already imported, ${(result.problems as unknown[]).length} rows flagged.`
            : `${result.created} orders created, ${(result.alreadyImported as unknown[]).length} already imported, ${(result.problems as unknown[]).length} rows flagged.`}
        </p>
      )}
      {(run.state === 'done' || run.state === 'failed') && (
        <button type="button" className="button" onClick={onDone}>
          Import another file
        </button>
      )}
    </div>
  );
}
