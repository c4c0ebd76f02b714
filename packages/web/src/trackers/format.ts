import type { FieldValue, TrackerField } from '../api/trackers';

/** A field value as a table cell shows it. */
export function cellText(field: TrackerField | undefined, value: FieldValue | undefined): string {
  if (value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (field?.type === 'choice' && typeof value === 'string') return value.replaceAll('_', ' ');
  return String(value);
}
