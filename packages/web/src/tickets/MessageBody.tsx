import { useState } from 'react';

/**
 * Frames a message's HTML with a policy that blocks everything remote (tracking pixels, fonts,
 * scripts): only inline styles and embedded (data:) images show.
 */
function frameDocument(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"><base target="_blank"><style>body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a2230;word-wrap:break-word}img{max-width:100%;height:auto}blockquote{margin:0 0 0 8px;padding-left:8px;border-left:2px solid #c8ced8;color:#5b6575}</style></head><body>${html}</body></html>`;
}

/** A guess at the frame's height from the text, since a sandboxed frame cannot be measured. */
function frameHeight(text: string): number {
  const lines = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 90)), 0);
  return Math.min(520, Math.max(72, lines * 21 + 16));
}

/**
 * A message's body. HTML (already sanitised by the server) is shown only inside an
 * `<iframe sandbox="">` with `srcdoc`: no scripts, no same-origin access, no forms, no top
 * navigation, so a hostile email cannot touch the app. Plain text is shown as text. The agent can
 * switch an HTML message to its text version.
 */
export function MessageBody({ text, html, label }: { text: string; html: string | null; label: string }) {
  const [asText, setAsText] = useState(false);
  if (!html) return <div className="message-text">{text}</div>;
  return (
    <div className="message-html">
      {asText ? (
        <div className="message-text">{text}</div>
      ) : (
        <iframe
          className="message-frame"
          title={label}
          sandbox=""
          srcDoc={frameDocument(html)}
          referrerPolicy="no-referrer"
          style={{ height: frameHeight(text) }}
        />
      )}
      <button type="button" className="button link small" onClick={() => setAsText((v) => !v)}>
        {asText ? 'Show formatted' : 'Show as plain text'}
      </button>
    </div>
  );
}
