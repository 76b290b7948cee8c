/**
 * The HTTP app: one Fastify instance that composes the modules' routes, authenticates API
 * keys, turns every failure into an RFC 9457 problem, documents itself in OpenAPI, and serves
 * the dashboard from the same port.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isProblem, Problem } from '../lib/errors.ts';
import type { App } from '../lib/http.ts';
import { partiesRoutes } from '../parties/index.ts';
import { regionRoutes } from '../region/index.ts';
import { ping } from '../store/index.ts';
import { transitRoutes } from '../transit/index.ts';
import type { Context } from './context.ts';

const WEB_DIST = resolve(import.meta.dirname, '../../web/dist');

export interface AppOptions {
  logger?: boolean | { level: string };
}

function problemBody(request: FastifyRequest, problem: Problem) {
  return {
    type: `urn:tongcheng:problem:${problem.code}`,
    title: problem.status >= 500 ? 'Internal error' : titleOf(problem.status),
    status: problem.status,
    detail: problem.message,
    code: problem.code,
    ...(problem.field ? { field: problem.field } : {}),
    instance: request.url,
  };
}

const titleOf = (status: number) =>
  ({
    400: 'Bad request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not found',
    409: 'Conflict',
    413: 'Too large',
    415: 'Unsupported media type',
    422: 'Unprocessable content',
    429: 'Too many requests',
  })[status] ?? 'Request failed';

function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  return reply.code(problem.status).type('application/problem+json').send(problemBody(request, problem));
}

/**
 * Fastify's schema validation failures, named by the field as the client sent it. All are
 * listed; a field that was given but is wrong comes before one that is missing, since that is
 * what the person typed.
 */
function validationProblem(error: FastifyError): Problem {
  const where = error.validationContext ?? 'request';
  const found = (error.validation ?? []).map((e) => {
    const path = e.instancePath.split('/').filter(Boolean).join('.');
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    if (missing) {
      const field = [path, missing].filter(Boolean).join('.');
      return { field, missing: true, text: `${where}.${field} is required` };
    }
    return {
      field: path,
      missing: false,
      text: `${where}${path ? `.${path}` : ''} ${e.message ?? 'is invalid'}`,
    };
  });
  found.sort((a, b) => Number(a.missing) - Number(b.missing));
  const detail = [...new Set(found.map((f) => f.text))].join('; ') || `${where} is invalid`;
  return new Problem(400, 'invalid-input', detail, found[0]?.field || undefined);
}

export async function buildApp(context: Context, options: AppOptions = {}): Promise<App> {
  const app: App = Fastify({
    logger: options.logger ?? false,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
    bodyLimit: 10 * 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new Problem(401, 'unauthorized', 'the Authorization header must be "Bearer <key>"');
    const principal = await context.parties.authenticate(match[1]);
    if (!principal) throw new Problem(401, 'unauthorized', 'the API key is unknown or has been revoked');
    request.principal = principal;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isProblem(error)) return sendProblem(request, reply, error);
    if (error.validation) return sendProblem(request, reply, validationProblem(error));
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = (error.code ?? 'bad-request')
        .toLowerCase()
        .replace(/^fst_err_/, '')
        .replaceAll('_', '-');
      return sendProblem(request, reply, new Problem(status, code, error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      request,
      reply,
      new Problem(500, 'internal', 'an unexpected error occurred; it has been logged'),
    );
  });

  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api') &&
      request.headers.accept?.includes('text/html');
    if (wantsPage && existsSync(resolve(WEB_DIST, 'index.html'))) return reply.sendFile('index.html');
    return sendProblem(
      request,
      reply,
      new Problem(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`),
    );
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tongcheng API',
        description: `Shared infrastructure of the ${context.region.pack.name.en} (${context.region.pack.name.zh}). Errors are RFC 9457 problem+json bodies with a stable \`code\`.`,
        version: '0.1.0',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key: tc_…' } },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and the store in use',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), store: Type.String(), region: Type.String() }),
          503: Type.Object({
            status: Type.Literal('unavailable'),
            store: Type.String(),
            region: Type.String(),
          }),
        },
      },
    },
    async (_request, reply) => {
      const body = { store: context.store.dialect, region: context.region.id };
      try {
        await ping(context.store);
        return { status: 'ok' as const, ...body };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, ...body });
      }
    },
  );

  regionRoutes(app, context.region);
  partiesRoutes(app, context.parties);
  transitRoutes(app, context.transit);

  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  } else {
    app.log.warn('the dashboard is not built (web/dist is missing): run `npm run build:web`');
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'Tongcheng API is running. The dashboard is not built: run `npm run build:web`. API docs: /api/docs',
        ),
    );
  }
  return app;
}
