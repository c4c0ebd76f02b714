import { asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { createUser } from '../commands/createUser';
import { updateUser } from '../commands/updateUser';
import type { Deps } from '../context';
import { users } from '../db/schema';
import { errors } from '../errors';
import { presentUser } from '../presenters';
import { email, errorResponses, password, personName, userSchema, uuidParam } from './schemas';

/** Organization-level account management, for organization admins. */
export const userRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.get(
      '/users',
      {
        config: { auth: 'org_admin' },
        schema: {
          tags: ['users'],
          summary: 'Lists every account of the organization',
          response: { 200: z.object({ data: z.array(userSchema) }), ...errorResponses },
        },
      },
      async () => ({ data: (await db.select().from(users).orderBy(asc(users.email))).map(presentUser) }),
    );

    app.post(
      '/users',
      {
        config: { auth: 'org_admin' },
        schema: {
          tags: ['users'],
          summary: 'Creates an account',
          body: z.strictObject({ email, name: personName, password, isOrgAdmin: z.boolean().optional() }),
          response: { 201: z.object({ data: userSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = await db.transaction((tx) => createUser(tx, contextOf(request), request.body));
        return reply.status(201).send({ data: presentUser(user) });
      },
    );

    app.patch(
      '/users/:userId',
      {
        config: { auth: 'org_admin' },
        schema: {
          tags: ['users'],
          summary:
            'Changes an account: name, admin flag, disabled, or a new password (which ends its sessions)',
          params: z.strictObject({ userId: uuidParam('userId') }),
          body: z.strictObject({
            name: personName.optional(),
            isOrgAdmin: z.boolean().optional(),
            disabled: z.boolean().optional(),
            password: password.optional(),
          }),
          response: { 200: z.object({ data: userSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const user = await db.transaction((tx) =>
          updateUser(tx, contextOf(request), request.params.userId, request.body),
        );
        return { data: presentUser(user) };
      },
    );

    app.get(
      '/users/:userId',
      {
        config: { auth: 'org_admin' },
        schema: {
          tags: ['users'],
          summary: 'One account',
          params: z.strictObject({ userId: uuidParam('userId') }),
          response: { 200: z.object({ data: userSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const [user] = await db.select().from(users).where(eq(users.id, request.params.userId));
        if (!user) throw errors.notFound('user');
        return { data: presentUser(user) };
      },
    );
  };
