import { Type } from 'typebox';
import { type App, problemResponses } from '../lib/http.ts';
import { ApiKey, CreatedKey, NewKey, Party } from './model.ts';
import type { PartiesService } from './service.ts';

const security = [{ apiKey: [] }];
const admin = { roles: ['admin'] } as const;

export function partiesRoutes(app: App, parties: PartiesService): void {
  app.get(
    '/api/parties',
    {
      schema: {
        tags: ['parties'],
        summary: 'The parties Tongcheng acts for',
        response: { 200: Type.Array(Party) },
      },
      config: { access: 'public' },
    },
    async () => parties.listParties(),
  );

  app.get(
    '/api/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'API keys (admin)',
        security,
        response: { 200: Type.Array(ApiKey), ...problemResponses },
      },
      config: { access: admin },
    },
    async (request) => parties.listKeys(request.principal),
  );

  app.post(
    '/api/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'Create an API key for a party (admin); the secret is shown only in this response',
        security,
        body: NewKey,
        response: { 201: CreatedKey, ...problemResponses },
      },
      config: { access: admin },
    },
    // The secret is in this answer only: no cache, shared or private, may keep it.
    async (request, reply) =>
      reply
        .code(201)
        .header('cache-control', 'no-store')
        .send(await parties.createKey(request.principal, request.body)),
  );

  app.delete(
    '/api/keys/:id',
    {
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key (admin); revoking twice changes nothing',
        security,
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: ApiKey, ...problemResponses },
      },
      config: { access: admin },
    },
    async (request) => parties.revokeKey(request.principal, request.params.id),
  );
}
