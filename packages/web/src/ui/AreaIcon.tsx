import type { AreaId } from '../shell/areas';

/** Simple line drawings (24×24, stroked) that help the eye find an area in the navigation. */
const PATHS: Record<AreaId, string> = {
  inbox: 'M3 13l3-8h12l3 8v6H3zM3 13h5l1 3h6l1-3h5',
  orders: 'M4 7l8-4 8 4v10l-8 4-8-4zM4 7l8 4 8-4M12 11v10',
  trackers: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2',
  approvals: 'M4 12l5 5L20 6',
  boards: 'M4 4h4v16H4zM10 4h4v10h-4zM16 4h4v13h-4z',
  time: 'M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16zM12 9v4h3M9 2h6',
  reports: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  training: 'M2 8l10-5 10 5-10 5zM6 10v5c0 2 3 4 6 4s6-2 6-4v-5',
  supplier:
    'M2 17V7h11v10M13 10h4l4 4v3h-8M6 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM17 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  admin:
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .3-1.5-1.5L17 5l-3-1-1 2h-2L10 4 7 5l.5 1.8L6 8.3 4 8l-1 3 2 1v0l-2 1 1 3 2-.3 1.5 1.5L7 19l3 1 1-2h2l1 2 3-1-.5-1.8 1.5-1.5 2 .3 1-3z',
};

/** The icon beside an area's name; decorative, so hidden from assistive technology. */
export function AreaIcon({ area }: { area: AreaId }) {
  return (
    <svg
      className="area-icon"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[area]} />
    </svg>
  );
}
