/** The Casebook mark and name, drawn inline so it shows at once without another request. */
export function Logo({ size = 22 }: { size?: number }) {
  return (
    <div className="logo">
      <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#2f5bd3" />
        <path d="M9 8h11a3 3 0 0 1 3 3v13H12a3 3 0 0 1-3-3z" fill="#fff" />
        <path d="M13 13h6M13 17h6" stroke="#2f5bd3" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <span>Casebook</span>
    </div>
  );
}
