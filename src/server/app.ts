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
import Fastify, {
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
  type RouteOptions,
} from 'fastify';
import { isRole } from '../lib/access.ts';
import { isProblem, type Problem, type ProblemCode, problem } from '../lib/errors.ts';
import type { App } from '../lib/http.ts';
import { allNames } from '../lib/name.ts';
import type { Runtime } from '../modules.ts';
import { partiesModule } from '../parties/index.ts';
import { regionModule } from '../region/index.ts';
import { ping } from '../store/index.ts';
import { Health } from './model.ts';

const WEB_DIST = resolve(import.meta.dirname, '../../web/dist');

export interface AppOptions {
  logger?: boolean | { level: string };
}

export function problemBody(p: Problem, instance?: string) {
  return {
    type: `urn:tongcheng:problem:${p.code}`,
    title: p.title,
    status: p.status,
    detail: p.message,
    code: p.code,
    ...(p.field ? { field: p.field } : {}),
    ...(instance ? { instance } : {}),
  };
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, p: Problem) {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send(problemBody(p, request.url.split('?')[0]));
}

/** Fastify's own rejections, by its error code, as registry codes. */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-body',
  FST_ERR_BAD_URL: 'invalid-url',
  FST_ERR_INVALID_URL: 'invalid-url',
  FST_ERR_MAX_PARAM_LENGTH: 'url-too-long',
};

/** Any other 4xx that Fastify or a plugin raises, by status. */
const STATUS_CODES: Record<number, ProblemCode> = {
  400: 'invalid-input',
  404: 'not-found',
  405: 'method-not-allowed',
  408: 'request-timeout',
  413: 'body-too-large',
  414: 'url-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  431: 'headers-too-large',
};

/**
 * Fastify's schema validation failures, named by the field as the client sent it. All are
 * listed; a field that was given but is wrong comes before one that is missing, since that is
 * what the person typed.
 */
function validationProblem(error: FastifyError): Problem {
  const where = error.validationContext ?? 'request';
  const found = (error.validation ?? []).map((e) => {
    const path = e.instancePath.split('/').filter(Boolean).join('.');
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    if (params.missingProperty) {
      const field = [path, params.missingProperty].filter(Boolean).join('.');
      return { field, missing: true, text: `${where}.${field} is required` };
    }
    if (params.additionalProperty) {
      const field = [path, params.additionalProperty].filter(Boolean).join('.');
      return { field, missing: false, text: `${where}.${field} is not a property this operation takes` };
    }
    return {
      field: path,
      missing: false,
      text: `${where}${path ? `.${path}` : ''} ${e.message ?? 'is invalid'}`,
    };
  });
  found.sort((a, b) => Number(a.missing) - Number(b.missing));
  const detail = [...new Set(found.map((f) => f.text))].join('; ') || `${where} is invalid`;
  return problem('invalid-input', detail, found[0]?.field || undefined);
}

/**
 * The path to a text in a request part that holds U+0000, or undefined. Walked without
 * recursion: a body may nest deeper than the stack.
 */
function nulAt(value: unknown): string[] | undefined {
  type At = { key: string; up: At | undefined } | undefined;
  const pathOf = (at: At): string[] => {
    const path: string[] = [];
    for (let a = at; a; a = a.up) path.push(a.key);
    return path.reverse();
  };
  const stack: [unknown, At][] = [[value, undefined]];
  while (stack.length > 0) {
    const [item, at] = stack.pop()!;
    if (typeof item === 'string' && item.includes('\u0000')) return pathOf(at);
    if (item === null || typeof item !== 'object') continue;
    for (const [key, child] of Object.entries(item)) {
      stack.push([key.includes('\u0000') ? key : child, { key, up: at }]);
    }
  }
  return undefined;
}

/** Stops the build at a route that does not say who may call it, naming the route. */
function checkAccessDeclared(route: RouteOptions): void {
  const access = route.config?.access;
  const name = `${route.method} ${route.url}`;
  if (access === undefined) {
    throw new Error(
      `route ${name} declares no access: add config: { access: 'public' } or { access: { roles: [...] } } to its options`,
    );
  }
  if (access !== 'public' && (access.roles.length === 0 || !access.roles.every(isRole))) {
    throw new Error(
      `route ${name} declares access with no roles or an unknown role: ${JSON.stringify(access)}`,
    );
  }
}

export async function buildApp(runtime: Runtime, options: AppOptions = {}): Promise<App> {
  const region = await runtime.service(regionModule);
  const parties = await runtime.service(partiesModule);
  const app: App = Fastify({
    logger: options.logger ?? false,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
    bodyLimit: 10 * 1024 * 1024,
    // The router's own rejections (bad percent-encoding, a path parameter too long) never reach
    // the error handler; they are problems all the same.
    frameworkErrors: (error, request, reply) => {
      const code = FASTIFY_CODES[error.code];
      if (code) return sendProblem(request, reply, problem(code, error.message));
      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(
        request,
        reply,
        problem('internal', 'an unexpected error occurred; it has been logged'),
      );
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw problem('unauthorized', 'the Authorization header must be "Bearer <key>"');
    const principal = await parties.authenticate(match[1]);
    if (!principal) throw problem('unauthorized', 'the API key is unknown or has been revoked');
    request.principal = principal;
  });

  // PostgreSQL cannot store U+0000, and no id, name or label holds one: text with it is refused,
  // naming the field, before any service sees it, on every store alike.
  app.addHook('preHandler', async (request) => {
    const parts = { params: request.params, querystring: request.query, body: request.body };
    for (const [where, value] of Object.entries(parts)) {
      const path = nulAt(value);
      if (!path) continue;
      const field = path.join('.');
      throw problem(
        'invalid-input',
        `${[where, ...path].join('.')} holds the character U+0000`,
        field || undefined,
      );
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isProblem(error)) return sendProblem(request, reply, error);
    if (error.validation) return sendProblem(request, reply, validationProblem(error));
    const status = error.statusCode ?? 500;
    const code =
      FASTIFY_CODES[error.code] ?? (error instanceof SyntaxError ? 'invalid-body' : STATUS_CODES[status]);
    if (code && status < 500) return sendProblem(request, reply, problem(code, error.message));
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      request,
      reply,
      problem('internal', 'an unexpected error occurred; it has been logged'),
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
      problem('not-found', `no route ${request.method} ${request.url.split('?')[0]}`),
    );
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tongcheng API',
        description: `Shared infrastructure of the ${allNames(region.pack.name, region.pack.languages)}. Errors are RFC 9457 problem+json bodies with a stable \`code\` (see docs/errors.md).`,
        version: '0.1.0',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key: tc_…' } },
      },
    },
    // Each operation says who may call it, for clients and for test/api/access.test.ts.
    transform: ({ schema, url, route }) => ({ schema: { ...schema, 'x-access': route.config?.access }, url }),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  }

  // Every route from here on, the API's, declares who may call it; the files above are anyone's.
  app.addHook('onRoute', checkAccessDeclared);

  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and the store in use',
        response: { 200: Health, 503: Health },
      },
      config: { access: 'public' },
    },
    async (_request, reply) => {
      const store = runtime.store()!;
      const body = { store: store.dialect, region: region.id };
      try {
        await ping(store);
        return { status: 'ok' as const, ...body };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, ...body });
      }
    },
  );

  for (const module of runtime.modules) module.routes?.(app, await runtime.service(module));

  if (!existsSync(WEB_DIST)) {
    app.log.warn('the dashboard is not built (web/dist is missing): run `npm run build:web`');
    app.get('/', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'Tongcheng API is running. The dashboard is not built: run `npm run build:web`. API docs: /api/docs',
        ),
    );
  }
  return app;
}
