import { useId, useRef, useState } from 'react';

/**
 * Shows a newly created API token once. The server keeps only a hash, so the warning is plain:
 * copy it now or create another one later.
 */
export function TokenReveal({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  const id = useId();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied('yes');
    } catch {
      inputRef.current?.select();
      setCopied('select');
    }
  };

  return (
    <section className="token-reveal" aria-labelledby={id}>
      <h3 id={id}>Token “{name}” created</h3>
      <p className="warning">
        Copy this token now. It is shown only once; Casebook stores just a fingerprint of it and cannot show
        it again.
      </p>
      <div className="copy-row">
        <input
          ref={inputRef}
          className="mono"
          readOnly
          value={token}
          aria-label="New API token"
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="button primary" onClick={copy}>
          Copy
        </button>
        <button type="button" className="button" onClick={onDone}>
          Done
        </button>
      </div>
      <p className="muted small" role="status">
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'select' &&
          'The clipboard is not available here; the token is selected, press Ctrl+C to copy.'}
      </p>
    </section>
  );
}
