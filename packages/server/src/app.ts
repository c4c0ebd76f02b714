import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { AUTH_CHANGES_CHANNEL, forgetApiTokens, resolveApiToken } from './auth/apiTokens';
import { safeEqual } from './auth/secrets';
import { resolveSession, SESSION_COOKIE } from './auth/sessions';
import type { Actor, Deps, RequestContext } from './context';
import { pgErrorCode } from './db/errors';
import { AppError, errors, type FieldProblem } from './errors';
import { registerRoutes } from './routes';

/** Who may call a route. Every route under /api declares one; the app refuses to start otherwise. */
export type RouteAuth = 'public' | 'actor' | 'user' | 'org_admin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route as "METHOD /path", for checks that each is documented and guarded. */
    apiRoutes: readonly string[];
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The request's clock reading, taken once so one request sees one time. */
    now: Date;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AppOptions = { logger?: boolean };

/** Builds the HTTP application: API under /api/v1, OpenAPI document, and the web app. */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.decorateRequest('now', null as unknown as Date);
  // Another app instance changed API tokens, roles or brands: its tokens are read again.
  const unlistenAuth = await deps.database.listen(AUTH_CHANGES_CHANNEL, forgetApiTokens, {
    onReconnect: forgetApiTokens,
  });
  app.addHook('onClose', () => unlistenAuth());

  const apiRoutes: string[] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (!route.config?.auth) {
      throw new Error(`Route ${route.method} ${route.url} declares no auth policy (config.auth).`);
    }
    for (const method of [route.method].flat())
      if (method !== 'HEAD') apiRoutes.push(`${method} ${route.url}`);
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Casebook API',
        version: '1.0.0',
        description:
          'Support operations for e-commerce teams. Errors have the shape { error: { code, message, details } }.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiToken: { type: 'http', scheme: 'bearer', description: 'A brand API token (cbk_...)' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', async (request) => {
    request.now = deps.clock();
    const auth = request.routeOptions.config?.auth;
    if (!auth || auth === 'public') return;
    request.actor = await authenticate(deps, request);
    if (!request.actor) throw errors.unauthenticated();
    if (auth !== 'actor' && request.actor.kind !== 'user') {
      throw errors.forbidden('This endpoint is for signed-in people, not API tokens.');
    }
    if (auth === 'org_admin' && !(request.actor.kind === 'user' && request.actor.isOrgAdmin)) {
      throw errors.forbidden('Only organization admins may do this.');
    }
    if (request.actor.kind === 'user' && !SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !safeEqual(header, request.actor.csrfToken)) throw errors.csrf();
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error, request);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    if (appError.code === 'rate_limited' && typeof appError.details?.retryAfterSeconds === 'number') {
      reply.header('retry-after', String(appError.details.retryAfterSeconds));
    }
    return reply.status(appError.status).send({
      error: { code: appError.code, message: appError.message, details: appError.details ?? {} },
    });
  });

  await app.register(registerRoutes(deps), { prefix: '/api/v1' });

  app.get('/api/v1/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await registerWebApp(app, deps.config.webDir);
  return app;
}

/** The caller: a session cookie for people, a bearer token for integrations, or nobody. */
async function authenticate(deps: Deps, request: FastifyRequest): Promise<Actor | null> {
  const { db } = deps.database;
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await resolveApiToken(db, deps.config.secret, match[1]!, request.now) : null;
    if (!actor)
      throw new AppError('unauthenticated', 'The API token is not valid, has expired or was revoked.');
    return actor;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? resolveSession(db, deps.config.secret, cookie, request.now) : null;
}

/** The request context commands receive. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw errors.unauthenticated();
  return { actor: request.actor, requestId: request.id, now: request.now };
}

function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error.validationContext ?? 'body') as string;
    const location: FieldProblem['in'] = where === 'querystring' ? 'query' : (where as FieldProblem['in']);
    const problems: FieldProblem[] = error.validation.flatMap((v) => {
      const base = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const keys = (v.params as { keys?: string[] }).keys;
      if (v.keyword === 'unrecognized_keys' && keys) {
        return keys.map((k) => ({
          field: base ? `${base}.${k}` : k,
          in: location,
          problem: 'is not a known field',
        }));
      }
      return [{ field: base || location, in: location, problem: v.message ?? 'is not valid' }];
    });
    return errors.validation(problems);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_request', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send the request body as application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is too large.');
  }
  if (error instanceof SyntaxError && request.method !== 'GET') {
    return new AppError('malformed_request', 'The request body is not valid JSON.');
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 403 || status === 404) return errors.notFound('page');
  const pgCode = pgErrorCode(error);
  if (
    pgCode?.startsWith('08') ||
    pgCode === '57P01' ||
    (error as { code?: string }).code === 'ECONNREFUSED'
  ) {
    return new AppError('service_unavailable', 'The database is not reachable; try again shortly.');
  }
  if (pgCode === '40P01' || pgCode === '40001') {
    // Two changes crossed; nothing was written. The same request succeeds when sent again.
    return new AppError(
      'conflict',
      'Another change to the same records happened at the same moment; send the request again.',
      {
        retry: true,
      },
    );
  }
  return new AppError('internal_error', 'Something went wrong on our side; it has been logged.');
}

/** Serves the built web app, with index.html for every non-API path so client routes work. */
async function registerWebApp(app: FastifyInstance, webDir: string) {
  const index = path.join(webDir, 'index.html');
  const built = fs.existsSync(index);
  const sendIndex = (reply: FastifyReply) => {
    if (!built) {
      return reply
        .type('text/plain')
        .send('The web app is not built. Run `npm run build:web` (npm start does it for you).');
    }
    return reply
      .type('text/html')
      .header('cache-control', 'no-cache')
      .header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      )
      .send(fs.createReadStream(index));
  };
  // Wildcard: files built after start-up (a new hashed bundle) are served without a restart.
  if (built)
    await app.register(fastifyStatic, { root: webDir, wildcard: true, index: false, redirect: false });
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      return reply.status(404).send({
        error: {
          code: 'not_found',
          message: `No route ${request.method} ${request.url.split('?')[0]}.`,
          details: {},
        },
      });
    }
    return sendIndex(reply);
  });
}
