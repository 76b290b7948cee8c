import { Type } from 'typebox';
import { type App, NameSchema, problemResponses } from '../lib/http.ts';
import { PARTY_KINDS, ROLES } from './model.ts';
import type { PartiesService } from './service.ts';

const Party = Type.Object({
  id: Type.String(),
  kind: Type.Enum(PARTY_KINDS),
  name: NameSchema,
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
});
const ApiKey = Type.Object({
  id: Type.String(),
  party: Type.String(),
  role: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const security = [{ apiKey: [] }];

export function partiesRoutes(app: App, parties: PartiesService): void {
  app.get(
    '/api/parties',
    {
      schema: {
        tags: ['parties'],
        summary: 'The parties Tongcheng acts for',
        response: { 200: Type.Array(Party) },
      },
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
        body: Type.Object(
          {
            party: Type.String({ minLength: 1 }),
            role: Type.Enum(ROLES),
            label: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ key: ApiKey, secret: Type.String() }), ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await parties.createKey(request.principal, request.body)),
  );

  app.delete(
    '/api/keys/:id',
    {
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key (admin); revoking twice changes nothing',
        security,
        params: Type.Object({ id: Type.String({ minLength: 1 }) }),
        response: { 200: ApiKey, ...problemResponses },
      },
    },
    async (request) => parties.revokeKey(request.principal, request.params.id),
  );
}
