/**
 * The closed set of error codes the API returns, each with its HTTP status. Every error response
 * has the shape `{ error: { code, message, details } }`; `message` is written for a person and
 * names the field and the problem where there is one.
 */
export const ERROR_CODES = {
  validation_failed: 400,
  malformed_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  guardrail_violation: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem with one field of a request. */
export type FieldProblem = { field: string; in: 'body' | 'query' | 'params' | 'headers'; problem: string };

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }
}

/** Named factories, so the same situation always produces the same code and wording. */
export const errors = {
  validation: (problems: FieldProblem[]) =>
    new AppError(
      'validation_failed',
      problems.map((p) => (p.field ? `${p.field}: ${p.problem}` : p.problem)).join('; '),
      { problems },
    ),
  field: (field: string, problem: string) => errors.validation([{ field, in: 'body', problem }]),
  unauthenticated: () => new AppError('unauthenticated', 'Sign in to continue.'),
  invalidCredentials: () => new AppError('invalid_credentials', 'The email or password is not correct.'),
  /** For an entity the caller may not see, or that does not exist: the two look the same. */
  notFound: (entity: string) => new AppError('not_found', `No such ${entity}.`),
  forbidden: (reason: string) => new AppError('forbidden', reason),
  csrf: () =>
    new AppError(
      'csrf_failed',
      'The request is missing its CSRF token (X-CSRF-Token header). Reload the page.',
    ),
  conflict: (message: string, details?: Record<string, unknown>) =>
    new AppError('conflict', message, details),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(
      'rate_limited',
      `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      {
        retryAfterSeconds,
      },
    ),
  guardrail: (rule: string, message: string) => new AppError('guardrail_violation', message, { rule }),
};

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
