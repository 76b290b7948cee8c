/**
 * Modules with deliberate faults, added to the real ones to show that the access and fuzz
 * checks catch what they are for: each route here is wrong in one known way, or right, so that
 * a check that reports it (or not) proves it can fail.
 */
import { Type } from 'typebox';
import { LOCAL_ADMIN, requireParty, requireRole, SCHEME_PARTY_ID } from '../../src/lib/access.ts';
import { defineModule } from '../../src/module.ts';
import { partiesModule } from '../../src/parties/index.ts';

const party = Type.Object({
  party: Type.String({ minLength: 1, maxLength: 100, examples: [SCHEME_PARTY_ID] }),
});

export const plantedAccess = defineModule({
  name: 'planted',
  open: (env) => env.use(partiesModule),
  routes(app, parties) {
    app.get(
      '/api/planted/forgets',
      { schema: { tags: ['planted'] }, config: { access: { roles: ['admin'] } } },
      // The service forgot its check.
      async () => ({ ok: true }),
    );
    app.get(
      '/api/planted/lies',
      { schema: { tags: ['planted'] }, config: { access: 'public' } },
      // The declaration says anyone; the service wants an operator.
      async (request) => ({ ok: requireRole(request.principal, 'operator', 'admin').role }),
    );
    app.post(
      '/api/planted/writes-first',
      { schema: { tags: ['planted'], body: party }, config: { access: { roles: ['admin'] } } },
      // It writes, then checks.
      async (request) => {
        await parties.createKey(LOCAL_ADMIN, { party: request.body.party, role: 'public' });
        return { ok: requireRole(request.principal, 'admin').role };
      },
    );
    app.get(
      '/api/planted/any-party',
      {
        schema: { tags: ['planted'], querystring: party },
        config: { access: { roles: ['operator', 'admin'], ownParty: true } },
      },
      // It checks the role but not whose records.
      async (request) => ({ ok: requireRole(request.principal, 'operator', 'admin').role }),
    );
    app.get(
      '/api/planted/own-party',
      {
        schema: { tags: ['planted'], querystring: party },
        config: { access: { roles: ['operator', 'admin'], ownParty: true } },
      },
      // Right: role, then party.
      async (request) => {
        const actor = requireRole(request.principal, 'operator', 'admin');
        return { ok: requireParty(actor, request.query.party, 'this record').role };
      },
    );
  },
});

export const undeclared = defineModule({
  name: 'undeclared',
  open: () => null,
  routes(app) {
    app.get('/api/undeclared', { schema: { tags: ['undeclared'] } }, async () => ({ ok: true }));
  },
});

export const plantedFuzz = defineModule({
  name: 'planted',
  open: () => null,
  routes(app) {
    app.get(
      '/api/planted/crash',
      {
        schema: { tags: ['planted'], querystring: Type.Object({ n: Type.Integer({ examples: [1] }) }) },
        config: { access: 'public' },
      },
      // A number the code did not expect is a 500.
      async (request) => {
        if (request.query.n > 1000) throw new TypeError('more than the code expected');
        return { n: request.query.n };
      },
    );
    app.get(
      '/api/planted/plain-error',
      {
        schema: { tags: ['planted'], querystring: Type.Object({ q: Type.String({ examples: ['abc'] }) }) },
        config: { access: 'public' },
      },
      // An error that is not a problem.
      async (request, reply) =>
        /^[a-z]+$/.test(request.query.q) ? { q: request.query.q } : reply.code(400).send({ error: 'bad q' }),
    );
    app.get(
      '/api/planted/wrong-status',
      {
        schema: { tags: ['planted'], querystring: Type.Object({ q: Type.String({ examples: ['abc'] }) }) },
        config: { access: 'public' },
      },
      // A problem whose status is not the response's.
      async (request, reply) =>
        /^[a-z]+$/.test(request.query.q)
          ? { q: request.query.q }
          : reply.code(422).type('application/problem+json').send({
              type: 'urn:tongcheng:problem:invalid-input',
              title: 'Invalid input',
              status: 400,
              code: 'invalid-input',
              detail: 'q',
            }),
    );
  },
});
