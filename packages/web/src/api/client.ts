/**
 * The one place the web app talks HTTP to the API. It sends the CSRF token on every write,
 * encodes JSON bodies, and turns the API's `{ error: { code, message, details } }` into an ApiError.
 */

/** An API failure with the server's code, its human message and any details (such as field problems). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The request fields the server said were wrong, for marking inputs as invalid. */
  get fields(): string[] {
    const problems = this.details.problems;
    const named = Array.isArray(problems)
      ? problems.flatMap((p) => (typeof p?.field === 'string' ? [p.field as string] : []))
      : [];
    if (typeof this.details.field === 'string') named.push(this.details.field);
    return named;
  }
}

type Query = Record<string, string | number | undefined | null>;

export type RequestOptions = {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Lets the request outlive the page, e.g. saying "left" as the tab closes. */
  keepalive?: boolean;
};

let csrfToken: string | null = null;
let sessionLost: (() => void) | null = null;

/** Stores the session's CSRF token; every later write sends it as X-CSRF-Token. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers what to do when the API says the session is gone (expired, or ended elsewhere). */
export function onSessionLost(listener: (() => void) | null): void {
  sessionLost = listener;
}

function urlFor(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

async function readError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; details?: unknown };
    };
    if (body.error?.code) {
      const details = (body.error.details ?? {}) as Record<string, unknown>;
      return new ApiError(response.status, body.error.code, body.error.message ?? body.error.code, details);
    }
  } catch {
    // Not JSON: a proxy or a server that is not Casebook answered.
  }
  return new ApiError(
    response.status,
    'bad_response',
    `The server answered with status ${response.status} and no readable error.`,
  );
}

/** Sends one request to /api/v1 and returns the parsed JSON body (undefined for 204). */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(urlFor(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'network_error',
      'Could not reach the server. Check your connection and try again.',
    );
  }
  if (!response.ok) {
    const error = await readError(response);
    // The session check and login report "signed out" themselves; anywhere else it means the session ended.
    if (error.code === 'unauthenticated' && path !== '/auth/session' && path !== '/auth/login')
      sessionLost?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Short verbs over apiRequest, so call sites read like the API reference. */
export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => apiRequest<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: Pick<RequestOptions, 'keepalive' | 'signal'>) =>
    apiRequest<T>('POST', path, { body, ...options }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
  /** Most deletes answer 204 (void); some return the changed parent, such as a ticket. */
  delete: <T = void>(path: string) => apiRequest<T>('DELETE', path),
};

/** A message for any thrown value, for places that only show text. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
