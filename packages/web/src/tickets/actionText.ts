import { humanize, statusLabel } from './ticketText';

/**
 * Macro and SOP actions in words, for the macro preview, the macro editor and the advice panel:
 * `{ type: 'add_tag', tag: 'vip' }` → "Add the tag “vip”".
 */

/** An ISO 8601 duration in words: P7D → "7 days", PT24H → "24 hours". */
export function durationText(iso: string): string {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!match) return iso;
  const parts = (['week', 'day', 'hour', 'minute'] as const).flatMap((unit, i) => {
    const n = Number(match[i + 1] ?? 0);
    return n ? [`${n} ${unit}${n === 1 ? '' : 's'}`] : [];
  });
  return parts.join(' ') || iso;
}

const str = (value: unknown) => String(value ?? '');

/** What a brand macro's action does. */
export function macroActionText(action: Record<string, unknown>): string {
  switch (action.type) {
    case 'set_status':
      return `Set the ticket’s status to ${statusLabel(str(action.status))}`;
    case 'add_tag':
      return `Add the tag “${str(action.tag)}”`;
    case 'set_po_status':
      return `Set the PO’s status to ${str(action.status)}`;
    case 'follow_up':
      return `Follow up after ${durationText(str(action.after))}`;
    case 'set_queue':
      return `Move the ticket to the queue “${str(action.queue)}”`;
    default:
      return humanize(str(action.type));
  }
}

/** What an advised SOP action asks for, in one line. */
export function adviceActionText(action: { type: string } & Record<string, unknown>): string {
  const v = (key: string) => humanize(str(action[key])).toLowerCase();
  switch (action.type) {
    case 'send_macro':
      return `Send the macro “${str(action.macro)}”`;
    case 'check':
      return `Check the ${v('what')}`;
    case 'contact':
      return `Contact the ${v('who')}${action.purpose ? ` about ${v('purpose')}` : ''}`;
    case 'side_conversation':
      return `Open a side conversation with the ${v('with')}`;
    case 'set_po_status':
      return `Set the PO’s status to ${str(action.status)}`;
    case 'escalate':
      return `Escalate to the queue “${str(action.queue)}”`;
    case 'add_note':
      return action.text ? `Add a note: ${str(action.text)}` : `Add a note on the ${v('on')}`;
    case 'log_record':
      return `Log a ${v('record')} record`;
    case 'request_approval':
      return `Request approval: ${v('approval')}`;
    case 'start_process':
      return `Start the process “${str(action.process)}”`;
    case 'file_claim':
      return `File a claim with the ${v('with')}`;
    case 'cancel':
      return `Cancel the ${v('scope')}`;
    case 'credit':
      return `Credit the customer the ${v('basis')}`;
    case 'follow_up':
      return `Follow up after ${durationText(str(action.after))}`;
    case 'move_card':
      return `Move the card to “${str(action.column)}”`;
    case 'notify':
      return `Notify ${str(action.channel)}`;
    case 'categorize':
      return `Categorize as “${str(action.category)}”`;
    case 'inform':
      return str(action.text) || 'Inform the customer';
    default:
      return humanize(str(action.type));
  }
}
