import { Type } from 'typebox';
import { type App, problemResponses } from '../lib/http.ts';
import { IssuedToken, NewPass, Pass, TrustedKey, Verification } from './model.ts';
import type { PassService } from './service.ts';

const security = [{ apiKey: [] }];
const admin = { roles: ['admin'] } as const;
const byId = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 40, examples: ['P0000000000000000'] }),
});

export function passRoutes(app: App, passes: PassService): void {
  app.post(
    '/api/pass/passes',
    {
      schema: {
        tags: ['pass'],
        summary: 'Issue an annual museum pass, valid a year from now, and its first signed token (admin)',
        security,
        body: NewPass,
        response: { 201: IssuedToken, ...problemResponses },
      },
      config: { access: admin },
    },
    async (request, reply) => reply.code(201).send(await passes.issue(request.principal, request.body)),
  );

  app.get(
    '/api/pass/passes',
    {
      schema: {
        tags: ['pass'],
        summary: 'The latest passes (admin)',
        security,
        response: { 200: Type.Array(Pass), ...problemResponses },
      },
      config: { access: admin },
    },
    async (request) => passes.listPasses(request.principal),
  );

  app.get(
    '/api/pass/passes/:id',
    {
      schema: {
        tags: ['pass'],
        summary: 'A pass (admin)',
        security,
        params: byId,
        response: { 200: Pass, ...problemResponses },
      },
      config: { access: admin },
    },
    async (request) => passes.pass(request.principal, request.params.id),
  );

  app.post(
    '/api/pass/passes/:id/token',
    {
      schema: {
        tags: ['pass'],
        summary: 'A fresh token for an active pass (admin): tokens live two days and are reissued routinely',
        security,
        params: byId,
        response: { 200: IssuedToken, ...problemResponses },
      },
      config: { access: admin },
    },
    async (request) => passes.token(request.principal, request.params.id),
  );

  app.post(
    '/api/pass/passes/:id/revoke',
    {
      schema: {
        tags: ['pass'],
        summary: 'Revoke a pass (admin)',
        security,
        params: byId,
        response: { 200: Pass, ...problemResponses },
      },
      config: { access: admin },
    },
    async (request) => passes.revoke(request.principal, request.params.id),
  );

  app.post(
    '/api/pass/verify',
    {
      schema: {
        tags: ['pass'],
        summary: 'Check a pass token as a gate does: the holder, or why it is refused',
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 5000, examples: ['TC1:NOT-A-TOKEN'] }) },
          { additionalProperties: false },
        ),
        response: { 200: Verification, ...problemResponses },
      },
      config: { access: 'public' },
    },
    async (request) => passes.verify(request.body.token),
  );

  app.get(
    '/api/pass/keys',
    {
      schema: {
        tags: ['pass'],
        summary:
          "The issuing keys' public halves that gates trust, retired ones included until their tokens expire",
        response: { 200: Type.Array(TrustedKey) },
      },
      config: { access: 'public' },
    },
    async () => passes.trustedKeys(),
  );
}
