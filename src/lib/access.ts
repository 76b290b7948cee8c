/**
 * Who is asking, and whether they may. Every module's service calls these before it reads a
 * party's records or writes anything; the server only attaches the principal to the request.
 */
import { problem } from './errors.ts';

export const ROLES = ['admin', 'operator', 'museum', 'agency', 'public'] as const;
export type Role = (typeof ROLES)[number];

/** The party and role of the API key presented with a request. */
export interface Principal {
  keyId: string;
  party: string;
  role: Role;
}

/** The person at the machine: the CLI talks to the store directly and acts as the scheme's admin. */
export const SCHEME_PARTY_ID = 'tongcheng';
export const LOCAL_ADMIN: Principal = { keyId: 'local', party: SCHEME_PARTY_ID, role: 'admin' };

export const isRole = (text: string): text is Role => (ROLES as readonly string[]).includes(text);

/**
 * Who may call a route: anyone, key or none (`'public'`), or a key holding one of `roles`.
 * `ownParty` adds that a key other than an admin's acts only for its own party, which the route
 * names in a parameter or body property called `party`. Every route declares it in its options
 * (`config: { access }`); the server refuses a route without one and publishes it in the OpenAPI
 * document as `x-access`. The services still enforce it (`requireRole`, `requireParty`): the
 * declaration is what test/api/access.test.ts holds their behaviour to.
 */
export type Access = 'public' | { roles: readonly Role[]; ownParty?: boolean };

/** The principal, when it holds one of `roles`; a 403 Problem otherwise (no key is a 403 too: the key is missing, not wrong). */
export function requireRole(actor: Principal | null, ...roles: Role[]): Principal {
  if (!actor) throw problem('forbidden', `this needs an API key with role ${roles.join(' or ')}`);
  if (!roles.includes(actor.role)) {
    throw problem(
      'forbidden',
      `this needs role ${roles.join(' or ')}; the key presented has role ${actor.role}`,
    );
  }
  return actor;
}

/**
 * The party-scoped check: a key acts only for its own party's records. An admin acts for any
 * party. `owner` is the party that owns the record; `what` names the record for the message.
 */
export function requireParty(actor: Principal | null, owner: string, what: string): Principal {
  // The owner is not named: a party learns nothing about another's records.
  if (!actor) throw problem('forbidden', `${what} belongs to a party; this needs that party's API key`);
  if (actor.role !== 'admin' && actor.party !== owner) {
    throw problem('forbidden', `${what} is not one of ${actor.party}'s; a key acts only for its own party`);
  }
  return actor;
}
