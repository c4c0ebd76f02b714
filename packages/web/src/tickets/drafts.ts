/**
 * Unsent composer text per ticket, kept in sessionStorage so moving to the next ticket and back
 * (or reloading after "This ticket changed") never loses what the agent was writing.
 */

/** The macro the text came from: its actions, and the advised action it fulfils, if any. */
export type DraftMacro = {
  name: string;
  title: string | null;
  actions: Record<string, unknown>[];
  advice?: { index: number; rule: string } | undefined;
};

export type Draft = { mode: 'reply' | 'note'; body: string; macro: DraftMacro | null };

const key = (ticketId: string) => `casebook.draft.${ticketId}`;

export function loadDraft(ticketId: string): Draft | null {
  try {
    const draft = JSON.parse(sessionStorage.getItem(key(ticketId)) ?? 'null') as Draft | null;
    if (!draft || typeof draft.body !== 'string') return null;
    return { ...draft, macro: draft.macro && typeof draft.macro === 'object' ? draft.macro : null };
  } catch {
    return null;
  }
}

export function saveDraft(ticketId: string, draft: Draft): void {
  try {
    if (draft.body.trim()) sessionStorage.setItem(key(ticketId), JSON.stringify(draft));
    else sessionStorage.removeItem(key(ticketId));
  } catch {
    // Storage may be full or disabled; the draft then lives only in the page.
  }
}

export function clearDraft(ticketId: string): void {
  try {
    sessionStorage.removeItem(key(ticketId));
  } catch {
    // Nothing to clear.
  }
}

/** `{{ placeholder }}`s still in a text: a macro's blanks nobody filled in yet. */
export function unfilledPlaceholders(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g), (m) => m[1]!))];
}

/** Reads a chosen file as base64 for the API's attachment field. */
export function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}.`));
    reader.readAsDataURL(file);
  });
}
