import { ApiError, errorMessage } from '../api/client';

/**
 * Shows why something failed, next to the form or table it belongs to. The API's messages name
 * the field and the problem, so they are shown as they are.
 */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <p className="error-message" role="alert" data-code={code}>
      {errorMessage(error)}
    </p>
  );
}

/** Whether the API named this request field in its error, for aria-invalid on the input. */
export function isFieldInvalid(error: unknown, field: string): boolean {
  return error instanceof ApiError && error.fields.includes(field);
}
