import { type ReactNode, useId } from 'react';

type ControlProps = { id: string; 'aria-describedby'?: string };

/**
 * A labelled form control with an optional hint below it. The hint sits outside the label, so
 * the control's accessible name stays short ("Name") and the hint is read as its description.
 */
export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: ReactNode;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': hint ? hintId : undefined })}
      {hint && <small id={hintId}>{hint}</small>}
    </div>
  );
}
