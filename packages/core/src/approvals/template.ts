import { formatDate } from '../time';

const PLACEHOLDER = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_.]*)(?::([^}]+?))?\s*\}\}/g;

/**
 * Fills a channel or board template: `{{name}}` takes `vars.name`, `{{today:DD-MM-YYYY}}` the date
 * of `now` in the brand's time zone. A value that is missing renders as empty text and is listed in
 * `missing`, so a post never fails because an optional field was left out.
 *
 * @example renderTemplate('{{v}} | Reminder sent {{today:DD-MM-YYYY}}', { v: 'V1' }, now, 'UTC')
 */
export function renderTemplate(
  template: string,
  vars: Readonly<Record<string, unknown>>,
  now: Date,
  timezone: string,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_written, path: string, format: string | undefined) => {
    if (path === 'today') return formatDate(now, format?.trim() || 'DD-MM-YYYY', timezone);
    const value = Object.hasOwn(vars, path) ? vars[path] : undefined;
    if (value === null || value === undefined || String(value).trim() === '') {
      missing.add(path);
      return '';
    }
    return String(value);
  });
  return { text, missing: [...missing] };
}
