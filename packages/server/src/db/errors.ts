/** The PostgreSQL error code of a failed query, looking through the query layer's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  return pgError(error)?.code;
}

/** The constraint a failed query broke, if it says. */
export function pgErrorConstraint(error: unknown): string | undefined {
  return pgError(error)?.constraint;
}

function pgError(error: unknown): { code: string; constraint?: string } | undefined {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, ...(typeof constraint === 'string' ? { constraint } : {}) };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => pgErrorCode(error) === '23505';
