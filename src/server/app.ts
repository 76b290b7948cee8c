/**
 * The HTTP app: one Fastify instance that composes the modules' routes, authenticates API
 * keys, turns every failure into an RFC 9457 problem, documents itself in OpenAPI, and serves
 * the dashboard from the same port.
 *
 * Limits, each refused as a problem: a URL over 4 KiB (414), headers over Node's 16 KiB (431),
 * a body over 10 MiB (413), a request not received in REQUEST_TIMEOUT_MS (408), and from one
 * address more than AUTH_FAILURES_PER_MINUTE failed authentications a minute (429).
 */
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
  LogController,
  type RouteOptions,
} from 'fastify';
import { isRole } from '../lib/access.ts';
import { isProblem, type Problem, type ProblemCode, problem } from '../lib/errors.ts';
import type { App } from '../lib/http.ts';
import { allNames } from '../lib/name.ts';
import type { Runtime } from '../modules.ts';
import { partiesModule } from '../parties/index.ts';
import { regionModule } from '../region/index.ts';
import { isUnreachable, ping } from '../store/index.ts';
import { lazySchemaController } from './lazy-schemas.ts';
import { Health } from './model.ts';

const WEB_DIST = resolve(import.meta.dirname, '../../web/dist');

/** Longer URLs are refused: no route of ours needs one, and parsing them costs. */
const MAX_URL_LENGTH = 4096;

/** How long the health check waits for the database before it says `unavailable`. */
const HEALTH_TIMEOUT_MS = 500;

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
  if (p.retryAfter !== undefined) reply.header('retry-after', String(p.retryAfter));
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send(problemBody(p, request.url.split('?')[0]));
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (headers too large, a request
 * too slow, bytes that are not HTTP) is answered on the socket itself, as a problem too.
 */
function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const p =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problem('headers-too-large', 'the request headers are larger than the 16 KiB the server reads')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problem('request-timeout', 'the request did not arrive in time')
        : problem('invalid-input', `the request is not valid HTTP (${error.code ?? error.message})`);
  const body = JSON.stringify(problemBody(p));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${p.status} ${p.title}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * Ajv coerces "Infinity" and "1e999" in a query string to Infinity, and then skips the range
 * checks of a number that is not finite (so lat=Infinity would pass `maximum: 90`). A number
 * parameter must read as a finite number, before validation.
 */
function refuseNonFiniteNumbers(request: FastifyRequest): void {
  const schemas = request.routeOptions.schema as
    | Record<string, { properties?: Record<string, { type?: unknown }> }>
    | undefined;
  for (const [where, values] of [
    ['querystring', request.query],
    ['params', request.params],
  ] as const) {
    const properties = schemas?.[where]?.properties;
    if (!properties || typeof values !== 'object' || values === null) continue;
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      const type = properties[name]?.type;
      if (
        (type === 'number' || type === 'integer') &&
        typeof value === 'string' &&
        !Number.isFinite(Number(value))
      ) {
        throw problem('invalid-input', `${where}.${name} must be a finite number; got "${value}"`, name);
      }
    }
  }
}

/**
 * The dashboard loads only its own scripts, styles and fonts; MapLibre runs its worker from its
 * own file or a blob:, and draws images from blob: and data: URLs. Styles may be inline because
 * MapLibre, ECharts and the API docs set them. Nothing is framed, nothing posts elsewhere.
 */
const CONTENT_SECURITY_POLICY = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", 'data:', 'blob:'],
    workerSrc: ["'self'", 'blob:'],
    childSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    // Served over plain HTTP on a network too: upgrading every URL to https would break that.
    upgradeInsecureRequests: null,
  },
};

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
  const { config } = runtime;
  const region = await runtime.service(regionModule);
  const parties = await runtime.service(partiesModule);
  const app: App = Fastify({
    logger: options.logger ?? false,
    schemaController: lazySchemaController,
    // strictNumbers: a body's 1e999 (Infinity once parsed) is not a number a caller can mean.
    ajv: {
      customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true, strictNumbers: true },
    },
    bodyLimit: 10 * 1024 * 1024,
    // Fastify logs two lines per request; we log one, when it is answered (see onResponse).
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: config.requestTimeoutMs,
    // Node checks request timeouts on this beat (30 s by default, too coarse for short timeouts).
    http: {
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, config.requestTimeoutMs / 4)),
      headersTimeout: Math.min(60_000, config.requestTimeoutMs),
    },
    clientErrorHandler,
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

  const store = runtime.store();
  if (store) {
    store.onConnectionError = (error) =>
      app.log.warn({ err: error }, 'a database connection failed while idle; it will be replaced');
  }

  // @fastify/helmet builds helmet's middleware anew for every request, which took a sixth of
  // what a health check costs; the headers never change, so they are made once and reused.
  await app.register(fastifyHelmet, { global: false, contentSecurityPolicy: CONTENT_SECURITY_POLICY });
  let securityHeaders: Record<string, string | number | string[]> | undefined;
  app.addHook('onRequest', (_request, reply, done) => {
    if (securityHeaders) {
      reply.headers(securityHeaders);
    } else {
      reply.helmet();
      securityHeaders = Object.fromEntries(
        Object.entries(reply.raw.getHeaders()).filter(([, value]) => value !== undefined),
      ) as Record<string, string | number | string[]>;
    }
    done();
  });
  // Counts failed authentications only: a client with a good key is never slowed down.
  await app.register(fastifyRateLimit, { global: false });
  const authFailures = app.createRateLimit({ max: config.authFailuresPerMinute, timeWindow: 60_000 });

  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_URL_LENGTH) {
      throw problem(
        'url-too-long',
        `the URL has ${request.url.length} characters; at most ${MAX_URL_LENGTH} are read`,
      );
    }
  });

  // One line per answered request. Health checks, which monitors send every few seconds, only at
  // debug: Fastify's two lines a request at info took a fifth or more of /api/health's
  // throughput (bench/server/health.ts), and were most of the log.
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const level =
      status >= 500
        ? 'error'
        : request.routeOptions.url === '/api/health' && status === 200
          ? 'debug'
          : 'info';
    request.log[level](
      {
        method: request.method,
        url: request.routeOptions.config.logPattern ? request.routeOptions.url : request.url,
        status,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'answered',
    );
  });

  app.addHook('preValidation', async (request) => refuseNonFiniteNumbers(request));

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const tooMany = (ttlInSeconds: number) =>
      problem(
        'rate-limited',
        `too many failed authentications from ${request.ip}; try again in ${ttlInSeconds} s`,
        undefined,
        { retryAfter: ttlInSeconds },
      );
    const before = await authFailures(request, { increment: false });
    if (!before.isAllowed && before.isExceeded) throw tooMany(before.ttlInSeconds);
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await parties.authenticate(match[1]) : null;
    if (principal) {
      request.principal = principal;
      return;
    }
    await authFailures(request);
    if (!match) throw problem('unauthorized', 'the Authorization header must be "Bearer <key>"');
    throw problem('unauthorized', 'the API key is unknown or has been revoked');
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
    if (isUnreachable(error)) {
      request.log.warn({ err: error }, 'the database did not answer');
      return sendProblem(
        request,
        reply,
        problem('unavailable', 'the database does not answer; retry shortly', undefined, { retryAfter: 5 }),
      );
    }
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
        await ping(store, HEALTH_TIMEOUT_MS);
        return { status: 'ok' as const, ...body };
      } catch {
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ status: 'unavailable' as const, ...body });
      }
    },
  );

  for (const module of runtime.modules) module.routes?.(app, await runtime.service(module), config);

  if (!existsSync(WEB_DIST)) {
    app.log.warn('the dashboard is not built (web/dist is missing): run `npm run build`');
    app.get('/', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'Tongcheng API is running. The dashboard is not built: run `npm run build`. API docs: /api/docs',
        ),
    );
  }
  return app;
}
