import type { Config } from './config';
import type { Database } from './db/client';
import type { brands, roles } from './db/schema';

/** The clock is injected everywhere time matters, so tests can move it. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** What the server needs to run: the database, the configuration, the clock and the loaded packs. */
export type Deps = {
  database: Database;
  config: Config;
  clock: Clock;
  packs: import('./packs').PackRegistry;
};

export type UserActor = {
  kind: 'user';
  userId: string;
  email: string;
  name: string;
  isOrgAdmin: boolean;
  sessionId: string;
  csrfToken: string;
  /** Whether the person holds an external (supplier) role in any brand, read with the session. */
  external?: boolean;
};

export type TokenActor = {
  kind: 'api_token';
  tokenId: string;
  brandId: string;
  roleId: string;
  name: string;
  /** The token's brand and role, read with the token, so its request needs no second lookup. */
  grant?: { brand: typeof brands.$inferSelect; role: typeof roles.$inferSelect };
};

export type SystemActor = { kind: 'system'; name: string };

/** Who is making a change: a signed-in person, an integration's API token, or Casebook itself. */
export type Actor = UserActor | TokenActor | SystemActor;

/** What a command needs to know about the request it serves. */
export type RequestContext = { actor: Actor; requestId?: string; now: Date };

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.email;
    case 'api_token':
      return `token:${actor.name}`;
    case 'system':
      return `system:${actor.name}`;
  }
}
