import type { ReactNode } from 'react';

/** Says plainly that there is nothing here yet and what will appear. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <p>{children}</p>
    </section>
  );
}
