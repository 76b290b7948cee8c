/**
 * What the access and fuzz tests share: the app as the server builds it, on a fresh database; the
 * operations its OpenAPI document lists; a valid request for each, derived from the operation's
 * own schema; the callers, one per role the parties allow; and a snapshot of the database, to
 * tell that a refused request changed nothing. Nothing here knows a route by name.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { type Access, LOCAL_ADMIN, ROLES, type Role, SCHEME_PARTY_ID } from '../../src/lib/access.ts';
import { readConfig } from '../../src/lib/config.ts';
import type { App } from '../../src/lib/http.ts';
import { type AnyModule, MODULES, openRuntime, type Runtime } from '../../src/modules.ts';
import { partiesModule } from '../../src/parties/index.ts';
import { PARTY_KINDS, ROLES_BY_KIND } from '../../src/parties/model.ts';
import type { PartiesService } from '../../src/parties/service.ts';
import { buildApp } from '../../src/server/app.ts';
import type { TestStore } from '../../src/store/testing.ts';
import { plantExamples } from './examples.ts';

const ROOT = join(import.meta.dirname, '../..');

// A JSON schema as the OpenAPI document gives it; read loosely, since any keyword may appear.
// biome-ignore lint/suspicious/noExplicitAny: a schema is any JSON.
export type Schema = Record<string, any>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
  example?: unknown;
}

export interface Operation {
  /** `POST /api/keys`: how failures name it. */
  id: string;
  method: string;
  /** The OpenAPI path, with `{name}` for each path parameter. */
  path: string;
  access: Access | undefined;
  parameters: Parameter[];
  body: { schema: Schema; contentTypes: string[] } | undefined;
}

export interface Served {
  app: App;
  runtime: Runtime;
  parties: PartiesService;
  spec: Schema;
  close(): Promise<void>;
}

/** The app on a fresh database of `store`, as `tongcheng serve` builds it, with `modules`. */
export async function serve(store: TestStore, modules: readonly AnyModule[] = MODULES): Promise<Served> {
  const opened = await store.open();
  await opened.store.close();
  const config = readConfig(
    {
      DATABASE_URL: opened.url,
      DATABASE_SCHEMA: opened.schema,
      TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-api-')),
      // Every call here comes from one address and many are refused on purpose: the limit on
      // failed authentication (tested on its own in src/server/hardening.test.ts) stays out of the way.
      AUTH_FAILURES_PER_MINUTE: '1000000',
    },
    ROOT,
  );
  const runtime = await openRuntime(config, 'write', modules);
  const parties = await runtime.service(partiesModule);
  // The key a first start makes: the oldest key, which listings give first.
  await parties.ensureAdminKey(undefined, SCHEME_PARTY_ID);
  await plantExamples(runtime);
  let app: App;
  try {
    app = await buildApp(runtime);
  } catch (error) {
    await runtime.close();
    await opened.drop();
    throw error;
  }
  const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  return {
    app,
    runtime,
    parties,
    spec,
    async close() {
      await app.close();
      await runtime.close();
      await opened.drop();
    },
  };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/**
 * Every operation of the document: reads first, then writes, deletions last, so that what one
 * operation writes or removes disturbs as few of the others as possible.
 */
export function operations(spec: Schema): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const content: Record<string, { schema: Schema }> | undefined = op.requestBody?.content;
      out.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        access: op['x-access'],
        parameters: (op.parameters ?? []).map((p: Schema) => ({ ...p, schema: resolve(spec, p.schema) })),
        body: content
          ? {
              schema: resolve(spec, Object.values(content)[0].schema),
              contentTypes: Object.keys(content),
            }
          : undefined,
      });
    }
  }
  const rank = (op: Operation) => (op.method === 'GET' ? 0 : op.method === 'DELETE' ? 2 : 1);
  return out.sort((a, b) => rank(a) - rank(b));
}

/** A schema with its `$ref`s into the document replaced by what they point at. */
export function resolve(spec: Schema, schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map((s) => resolve(spec, s));
  if (schema === null || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((at: Schema, part: string) => at?.[part], spec);
    if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
    return resolve(spec, target);
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(spec, v)]));
}

/** Thrown when no valid value can be derived: the schema needs an `examples`. */
export class NoExample extends Error {}

/**
 * A value the schema accepts: its example, default, constant or first enum value, else the
 * least value of its type. A string with a pattern or a format has no least value: it needs an
 * example. `party`, on a route that acts for the caller's party, is the caller's.
 */
export function validValue(schema: Schema, where: string, party?: string): unknown {
  const name = where.split('.').pop();
  if (party !== undefined && name === 'party') return party;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const branches of [schema.anyOf, schema.oneOf]) {
    if (Array.isArray(branches)) {
      const branch = branches.find((b: Schema) => b.type !== 'null') ?? branches[0];
      return validValue(branch, where, party);
    }
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      if (schema.pattern || schema.format) {
        throw new NoExample(`${where} (pattern or format) needs an example in its schema`);
      }
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, (_, i) =>
        validValue(schema.items ?? {}, `${where}.${i}`, party),
      );
    default:
      return validObject(schema, where, party);
  }
}

/** The required properties, and the optional ones the schema gives an example for. */
function validObject(schema: Schema, where: string, party?: string): Record<string, unknown> {
  const required = new Set<string>(schema.required ?? []);
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
    if (required.has(name) || hasExample(property) || (party !== undefined && name === 'party')) {
      out[name] = validValue(property, where ? `${where}.${name}` : name, party);
    }
  }
  return out;
}

const hasExample = (schema: Schema) => schema.example !== undefined || Array.isArray(schema.examples);

export interface Request {
  path: Record<string, string>;
  query: Record<string, string>;
  /** A value to send as JSON; absent when the operation takes no body. */
  body?: unknown;
}

/**
 * A request the operation should accept. A path parameter is, when the parent path lists
 * records, the first record's (the same-named property, else `id`), so that it names
 * something that exists; otherwise it comes from its schema, as do the rest.
 */
export async function validRequest(
  app: App,
  op: Operation,
  admin: Record<string, string>,
  party?: string,
): Promise<Request> {
  const request: Request = { path: {}, query: {} };
  for (const p of op.parameters) {
    if (p.in === 'path') {
      const listed = await firstListed(app, op.path, p.name, admin);
      request.path[p.name] = String(listed ?? validValue(withExample(p), p.name, party));
    } else if (
      p.in === 'query' &&
      (p.required ||
        p.example !== undefined ||
        hasExample(p.schema) ||
        (party !== undefined && p.name === 'party'))
    ) {
      request.query[p.name] = String(validValue(withExample(p), p.name, party));
    }
  }
  if (op.body) request.body = validValue(op.body.schema, '', party);
  return request;
}

const withExample = (p: Parameter): Schema =>
  p.example !== undefined ? { ...p.schema, example: p.example } : p.schema;

async function firstListed(app: App, path: string, name: string, admin: Record<string, string>) {
  const at = path.lastIndexOf(`/{${name}}`);
  const parent = path.slice(0, at);
  if (at < 0 || parent.includes('{')) return undefined;
  const response = await app.inject({ method: 'GET', url: parent, headers: admin });
  if (response.statusCode !== 200) return undefined;
  const listed = response.json();
  const first = Array.isArray(listed) ? listed[0] : undefined;
  return first && typeof first === 'object' ? (first[name] ?? first.id) : undefined;
}

/** Percent-encodes the UTF-8 of any string, lone surrogates included (as U+FFFD). */
export const encode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/** The request as light-my-request takes it; path and query values go into the URL as they are. */
export function injection(
  op: Operation,
  url: { path: Record<string, string>; query: [string, string][] },
  headers: Record<string, string>,
  payload?: string,
): InjectOptions {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => url.path[name] ?? '');
  const query = url.query.map(([k, v]) => `${k}=${v}`).join('&');
  return {
    method: op.method as InjectOptions['method'],
    url: query ? `${path}?${query}` : path,
    headers,
    ...(payload !== undefined ? { payload } : {}),
  };
}

/** A valid request's path and query, percent-encoded. */
export const encoded = (request: Request) => ({
  path: Object.fromEntries(Object.entries(request.path).map(([k, v]) => [k, encode(v)])),
  query: Object.entries(request.query).map(([k, v]): [string, string] => [k, encode(v)]),
});

/** Who calls: a key of a role, no key, or a key the server must refuse. */
export interface Caller {
  name: string;
  headers: Record<string, string>;
  /** The role and party of a valid key. */
  role?: Role;
  party?: string;
  /** A key that must be refused everywhere: revoked, or a malformed header. */
  refused?: boolean;
}

/**
 * One key per role, each on a party of the first kind that may hold it (admin on the scheme,
 * agency on a jurisdiction, …); no key; a revoked admin key; a malformed header.
 */
export async function callers(parties: PartiesService): Promise<Caller[]> {
  const all = await parties.listParties();
  const out: Caller[] = [];
  for (const role of ROLES) {
    const kind = PARTY_KINDS.find((k) => ROLES_BY_KIND[k].includes(role));
    const party = all.find((p) => p.kind === kind);
    if (!party) throw new Error(`no party of kind ${kind} to hold a key of role ${role}`);
    const { secret } = await parties.createKey(LOCAL_ADMIN, { party: party.id, role, label: 'api test' });
    out.push({ name: role, headers: { authorization: `Bearer ${secret}` }, role, party: party.id });
  }
  out.push({ name: 'no key', headers: {} });
  const revoked = await parties.createKey(LOCAL_ADMIN, {
    party: SCHEME_PARTY_ID,
    role: 'admin',
    label: 'revoked',
  });
  await parties.revokeKey(LOCAL_ADMIN, revoked.key.id);
  out.push({
    name: 'revoked admin key',
    headers: { authorization: `Bearer ${revoked.secret}` },
    refused: true,
  });
  out.push({ name: 'malformed header', headers: { authorization: 'Basic dG9uZ2NoZW5n' }, refused: true });
  return out;
}

/** Every row of every table of the runtime's database, as one string to compare. */
export async function snapshot(runtime: Runtime): Promise<string> {
  const store = runtime.store()!;
  const tables = (await store.db.introspection.getTables()).filter(
    (t) => t.schema === store.schema || store.dialect === 'sqlite',
  );
  const out: string[] = [];
  for (const table of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    // biome-ignore lint/suspicious/noExplicitAny: any table, read whole.
    const rows = await (store.db as any).selectFrom(table.name).selectAll().execute();
    out.push(table.name, ...rows.map((r: unknown) => JSON.stringify(r)).sort());
  }
  return out.join('\n');
}
