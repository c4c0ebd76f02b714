import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { audit } from '../audit';
import { loginRetryAfter, recordLoginAttempt } from '../auth/loginRateLimit';
import { decoyHash, verifyPassword } from '../auth/passwords';
import { createSession, endSession, SESSION_COOKIE, SESSION_IDLE_MS } from '../auth/sessions';
import { changePassword } from '../commands/changePassword';
import type { Deps, UserActor } from '../context';
import { users } from '../db/schema';
import { errors } from '../errors';
import { heldCapabilities, listBrandAccess, organizationActions } from '../policies';
import { presentBrand, presentUser } from '../presenters';
import { brandSchema, email, errorResponses, password, userSchema } from './schemas';

const sessionSchema = z.object({
  user: userSchema,
  csrfToken: z
    .string()
    .describe('Send it as the X-CSRF-Token header on every write made with the session cookie'),
  organization: z.object({ allowed: z.array(z.string()) }),
  brands: z.array(brandSchema),
});

export const authRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    async function sessionBody(actor: UserActor, csrfToken: string) {
      const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
      if (!user) throw errors.unauthenticated();
      const access = await listBrandAccess(db, actor);
      return {
        user: presentUser(user),
        csrfToken,
        organization: { allowed: organizationActions({ ...actor, isOrgAdmin: user.isOrgAdmin }) },
        brands: access.map((a) => presentBrand(a.brand, a.role, heldCapabilities(a))),
      };
    }

    app.post(
      '/auth/login',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Signs in with email and password and sets the session cookie',
          security: [],
          body: z.strictObject({ email, password: z.string().min(1, { error: 'is required' }).max(200) }),
          response: { 200: sessionSchema, ...errorResponses, 429: errorResponses[400] },
        },
      },
      async (request, reply) => {
        const address = request.body.email.trim().toLowerCase();
        const now = request.now;
        const retryAfter = await loginRetryAfter(db, address, request.ip, now);
        if (retryAfter > 0) throw errors.rateLimited(retryAfter);
        const [user] = await db.select().from(users).where(eq(users.email, address)).limit(1);
        const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), request.body.password);
        const ok = Boolean(user && valid && !user.disabledAt);
        await recordLoginAttempt(db, address, request.ip, ok, now);
        if (!user || !ok) throw errors.invalidCredentials();
        const session = await db.transaction(async (tx) => {
          const created = await createSession(tx, deps.config.secret, user.id, now, {
            ip: request.ip,
            userAgent: request.headers['user-agent'],
          });
          await audit(
            tx,
            {
              actor: {
                kind: 'user',
                userId: user.id,
                email: user.email,
                name: user.name,
                isOrgAdmin: user.isOrgAdmin,
                sessionId: created.sessionId,
                csrfToken: '',
              },
              requestId: request.id,
              now,
            },
            {
              brandId: null,
              entityType: 'session',
              entityId: created.sessionId,
              action: 'login',
              after: { ip: request.ip },
            },
          );
          return created;
        });
        reply.setCookie(SESSION_COOKIE, session.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.config.secureCookies,
          maxAge: Math.floor(SESSION_IDLE_MS / 1000),
        });
        const actor: UserActor = {
          kind: 'user',
          userId: user.id,
          email: user.email,
          name: user.name,
          isOrgAdmin: user.isOrgAdmin,
          sessionId: session.sessionId,
          csrfToken: session.csrfToken,
        };
        return sessionBody(actor, session.csrfToken);
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['auth'],
          summary: 'Ends the current session',
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const actor = request.actor as UserActor;
        await db.transaction(async (tx) => {
          await endSession(tx, actor.sessionId, request.now);
          await audit(tx, contextOf(request), {
            brandId: null,
            entityType: 'session',
            entityId: actor.sessionId,
            action: 'logout',
          });
        });
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/session',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user, their CSRF token and the brands they can see',
          response: { 200: sessionSchema, ...errorResponses },
        },
      },
      async (request) => {
        const actor = request.actor as UserActor;
        return sessionBody(actor, actor.csrfToken);
      },
    );

    app.post(
      '/auth/password',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['auth'],
          summary: 'Changes the password; every other session of the user ends',
          body: z.strictObject({
            currentPassword: z.string().min(1, { error: 'is required' }),
            newPassword: password,
          }),
          response: { 200: z.object({ endedSessions: z.number() }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request) as ReturnType<typeof contextOf> & { actor: UserActor };
        return db.transaction((tx) => changePassword(tx, ctx, request.body));
      },
    );
  };
