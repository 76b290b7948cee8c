/**
 * The fuzz check: every operation of the OpenAPI document gets bad inputs made from its own
 * schema, one to three faults on top of a valid request: wrong types, numbers out of range or
 * out of JSON (1e999, -0, NaN, huge integers), long and odd strings (control characters, lone
 * surrogates, `%00`, `../../etc/passwd`), raw bad percent-encoding, missing required and unknown
 * fields, repeated parameters, malformed JSON and wrong content types. Any answer may be a
 * success; an error must be an RFC 9457 problem of the registry with the response's status, and
 * a 5xx is a bug. Runs are seeded, so a failure names the seed and path that replay it.
 */
import fc from 'fast-check';
import { PROBLEMS } from '../../src/lib/errors.ts';
import type { App } from '../../src/lib/http.ts';
import {
  encode,
  encoded,
  injection,
  NoExample,
  type Operation,
  type Request,
  type Schema,
  validValue,
} from './openapi.ts';

/** A JSON literal written as it is, for numbers JSON.stringify cannot write. */
class Literal {
  constructor(readonly text: string) {}
  toJSON() {
    return `«${this.text}»`;
  }
}

const toJson = (value: unknown): string => {
  if (value instanceof Literal) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

const NUMBER_TEXTS = [
  'Infinity',
  '-Infinity',
  'NaN',
  '1e999',
  '-1e999',
  '-0',
  '1e-999',
  '123456789012345678901234567890',
  '9007199254740993',
  '-9007199254740993',
  '0x10',
  '1_000',
  '1,5',
  ' 1',
  '+1',
  '.5',
  '1e',
];

const ODD_TEXTS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc',
  '/',
  '..',
  '.',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '\ud800',
  '\udfff',
  '𠮷',
  '\u202e',
  '\ufeff',
  '\u200b',
  'İ',
  "'; drop table api_keys; --",
  '<script>alert(1)</script>',
  '\r\n',
  '{{x}}',
  '%s%n',
  ...NUMBER_TEXTS,
];

/** Put into the URL without encoding: broken or tricky percent-encoding. */
const RAW_URL_TEXTS = [
  '%',
  '%zz',
  '%0',
  '%00',
  '%C0%AF',
  '%FF%FE',
  '%E0%A4%A',
  '..%2F..%2Fetc%2Fpasswd',
  '%252e',
  '+',
  '&',
  '=',
  '%23',
];

const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));

const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_TEXTS),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: control, minLength: 1, maxLength: 10 }),
  fc
    .tuple(fc.constantFrom('a', '字', '𠮷', '../', '%'), fc.integer({ min: 101, max: 4000 }))
    .map(([s, n]) => s.repeat(n)),
);

const typeOf = (schema: Schema): string | undefined =>
  Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;

/** A valid value of the schema, or a plain one where none can be derived. */
function valid(schema: Schema): unknown {
  try {
    return validValue(schema, '');
  } catch (error) {
    if (error instanceof NoExample) return 'x';
    throw error;
  }
}

/**
 * Values just outside what the schema allows, as text for a URL or as JSON values: past its
 * bounds, and its valid value spoilt a little (a NUL, a line break, a path, another case).
 */
function outside(schema: Schema): unknown[] {
  const out: unknown[] = [];
  const type = typeOf(schema);
  if (type === 'integer' || type === 'number') {
    if (schema.minimum !== undefined) out.push(schema.minimum - 1, schema.minimum - 1e-9);
    if (schema.maximum !== undefined) out.push(schema.maximum + 1, schema.maximum + 1e-9);
    if (schema.exclusiveMinimum !== undefined) out.push(schema.exclusiveMinimum);
    if (schema.exclusiveMaximum !== undefined) out.push(schema.exclusiveMaximum);
    if (type === 'integer') out.push(0.5, 2 ** 53 + 2, -(2 ** 63), 1e21, '123456789012345678901234567890');
    out.push(-1, Number.MAX_VALUE, -Number.MAX_VALUE);
  }
  if (type === 'string') {
    if (schema.maxLength !== undefined) {
      out.push('a'.repeat(schema.maxLength + 1), '字'.repeat(schema.maxLength + 1));
    }
    if (schema.minLength) out.push('a'.repeat(schema.minLength - 1));
  }
  if (Array.isArray(schema.enum)) {
    const first = String(schema.enum[0]);
    out.push(first.toUpperCase(), ` ${first}`, `${first}x`);
  }
  const v = valid(schema);
  if (typeof v === 'string' || typeof v === 'number') {
    const text = String(v);
    out.push(
      `${text}\u0000`,
      `\u0000${text}`,
      `${text}\n`,
      `${text}\u001b[0m`,
      text.toUpperCase(),
      `${text}/../../etc/passwd`,
    );
  }
  return out;
}

/** The schema's own near misses weigh most: they reach furthest past the validation. */
const nearMisses = (schema: Schema) => {
  const values = outside(schema);
  return values.length > 0 ? [{ arbitrary: fc.constantFrom(...values), weight: 3 }] : [];
};

/** A bad value for a path or query parameter, as it goes into the URL. */
const urlValue = (schema: Schema): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: oddString.map(encode), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_URL_TEXTS), weight: 1 },
    ...nearMisses(schema).map(({ arbitrary, weight }) => ({
      arbitrary: arbitrary.map((v) => encode(String(v))),
      weight,
    })),
  );

/** A bad value for a body property: any JSON of the wrong kind, a number JSON cannot carry, an odd string. */
const bodyValue = (schema: Schema): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        ...['1e999', '-1e999', '-0', '1e-999', '123456789012345678901234567890', '9007199254740993'].map(
          (t) => new Literal(t),
        ),
      ),
      weight: 1,
    },
    { arbitrary: oddString, weight: 2 },
    ...nearMisses(schema),
  );

const MALFORMED_JSON = [
  '',
  ' ',
  '{',
  '}',
  '[',
  '{"party":}',
  '{"party" "x"}',
  "{'party':'x'}",
  '{"party":"x",}',
  'nul',
  'undefined',
  'NaN',
  '\u0000',
  '\ufeff{}',
  '{"__proto__":{"role":"admin"}}',
  '{"constructor":{"prototype":{"role":"admin"}}}',
  '[]',
  '"text"',
  '42',
  'null',
  'true',
  `${'['.repeat(20000)}${']'.repeat(20000)}`,
  `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`,
  // Past the server's body limit.
  `"${'x'.repeat(11 * 1024 * 1024)}"`,
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/problem+json',
  'APPLICATION/JSON',
  'application/json;;',
  '*/*',
  'x',
];

/** One fault; several are applied in turn to the operation's valid request. */
type Fault =
  | { set: string; in: 'path' | 'query'; value: string }
  | { drop: string }
  | { repeat: string; value: string }
  | { extra: string; value: string }
  | { setBody: string[]; value: unknown }
  | { dropBody: string[] }
  | { bodyText: string }
  | { contentType: string };

/** Every property path of a body schema, two levels deep, with whether it is required. */
function properties(
  schema: Schema,
  at: string[] = [],
): { path: string[]; schema: Schema; required: boolean }[] {
  if (at.length >= 2) return [];
  const required = new Set<string>(schema.required ?? []);
  return Object.entries<Schema>(schema.properties ?? {}).flatMap(([name, s]) => [
    { path: [...at, name], schema: s, required: required.has(name) },
    ...properties(s, [...at, name]),
  ]);
}

function faults(op: Operation): fc.Arbitrary<Fault> {
  const options: fc.Arbitrary<Fault>[] = [];
  for (const p of op.parameters) {
    if (p.in === 'path')
      options.push(urlValue(p.schema).map((value) => ({ set: p.name, in: 'path' as const, value })));
    if (p.in !== 'query') continue;
    options.push(urlValue(p.schema).map((value) => ({ set: p.name, in: 'query' as const, value })));
    options.push(urlValue(p.schema).map((value) => ({ repeat: p.name, value })));
    if (p.required) options.push(fc.constant({ drop: p.name }));
  }
  const extraName = fc.oneof(
    fc.constantFrom('unknown', '__proto__', 'constructor', 'a[b]', 'a.b', ''),
    oddString,
  );
  options.push(fc.record({ extra: extraName.map(encode), value: urlValue({}) }));
  if (op.body) {
    for (const { path, schema, required } of properties(op.body.schema)) {
      options.push(bodyValue(schema).map((value) => ({ setBody: path, value })));
      if (required) options.push(fc.constant({ dropBody: path }));
    }
    options.push(fc.tuple(extraName, bodyValue({})).map(([name, value]) => ({ setBody: [name], value })));
  }
  // Bodies and content types go to operations that take no body too.
  options.push(fc.constantFrom(...MALFORMED_JSON).map((bodyText) => ({ bodyText })));
  options.push(fc.constantFrom(...CONTENT_TYPES).map((contentType) => ({ contentType })));
  return fc.oneof(...options);
}

function setIn(body: unknown, path: string[], value: unknown, drop = false): unknown {
  const root =
    body !== null && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object) } : {};
  let at: Record<string, unknown> = root;
  for (const part of path.slice(0, -1)) {
    const next = at[part];
    at[part] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...next } : {};
    at = at[part] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (drop) delete at[last];
  // defineProperty: a key such as __proto__ is sent as a key, not as the prototype.
  else Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

function faulty(valid: Request, list: Fault[]) {
  let { path, query } = encoded(valid);
  let body = valid.body;
  let bodyText: string | undefined;
  // A body sent where none is taken is JSON too, unless a fault says otherwise.
  let contentType: string | undefined;
  for (const f of list) {
    if ('set' in f && f.in === 'path') path = { ...path, [f.set]: f.value };
    else if ('set' in f) query = [...query.filter(([k]) => k !== f.set), [f.set, f.value]];
    else if ('drop' in f) query = query.filter(([k]) => k !== f.drop);
    else if ('repeat' in f) query = [...query, [f.repeat, f.value]];
    else if ('extra' in f) query = [...query, [f.extra, f.value]];
    else if ('setBody' in f) body = setIn(body, f.setBody, f.value);
    else if ('dropBody' in f) body = setIn(body, f.dropBody, undefined, true);
    else if ('bodyText' in f) bodyText = f.bodyText;
    else contentType = f.contentType;
  }
  const payload = bodyText ?? (body !== undefined ? toJson(body) : contentType ? '{}' : undefined);
  const headers: Record<string, string> =
    payload !== undefined ? { 'content-type': contentType ?? 'application/json' } : {};
  return { url: { path, query }, headers, payload };
}

/** What is wrong with a response, or undefined when nothing is. */
export function judge(status: number, contentType: string | undefined, body: string): string | undefined {
  if (status >= 500) return `${status}`;
  if (status < 400) return undefined;
  if (!contentType?.startsWith('application/problem+json'))
    return `${status} with content-type ${contentType}, not application/problem+json`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(body);
  } catch {
    return `${status} whose body is not JSON`;
  }
  const missing = ['type', 'title', 'code'].filter((k) => typeof problem[k] !== 'string');
  if (!Number.isInteger(problem.status)) missing.push('status');
  if (missing.length > 0) return `${status} problem without ${missing.join(', ')}`;
  if (problem.status !== status) return `${status} problem whose status field says ${problem.status}`;
  const kind = Object.hasOwn(PROBLEMS, problem.code as string)
    ? PROBLEMS[problem.code as keyof typeof PROBLEMS]
    : undefined;
  if (!kind) return `${status} problem with code ${problem.code}, not in PROBLEMS`;
  if (kind.status !== status)
    return `${status} problem with code ${problem.code}, which carries ${kind.status}`;
  return undefined;
}

const clip = (text: string, n = 160) =>
  text.length > n ? `${text.slice(0, n)}…(${text.length} chars)` : text;

/** A stable seed per operation and caller, so that each replays alone. */
const seedOf = (text: string, base: number) => {
  let h = base;
  for (const c of text) h = (Math.imul(h, 31) + c.codePointAt(0)!) | 0;
  return h;
};

export interface FuzzOptions {
  seed: number;
  runs: number;
}

/** Fuzzes one operation as one caller; the failure, shrunk, or undefined. */
export async function fuzzOperation(
  app: App,
  op: Operation,
  request: Request,
  caller: { name: string; headers: Record<string, string> },
  options: FuzzOptions,
): Promise<string | undefined> {
  const seed = seedOf(`${op.id} ${caller.name}`, options.seed);
  // Mostly one fault at a time: a second is likely to stop the request before the first tells.
  const lists = fc.oneof(
    { arbitrary: faults(op).map((f) => [f]), weight: 3 },
    { arbitrary: fc.array(faults(op), { minLength: 2, maxLength: 3 }), weight: 1 },
  );
  const result = await fc.check(
    fc.asyncProperty(lists, async (list) => {
      const sent = faulty(request, list);
      const response = await app.inject(
        injection(op, sent.url, { ...caller.headers, ...sent.headers }, sent.payload),
      );
      const wrong = judge(
        response.statusCode,
        response.headers['content-type'] as string | undefined,
        response.body,
      );
      if (wrong) throw new Error(`${wrong}: ${clip(response.body)}`);
    }),
    { seed, numRuns: options.runs, plugins: [fc.interruptAfterTimeLimit(20_000)] },
  );
  if (!result.failed) return undefined;
  const error =
    result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
  const shrunk = clip(JSON.stringify((result.counterexample as [Fault[]] | null)?.[0]), 300);
  return `${op.id} as ${caller.name}: ${error.split('\n')[0]} — faults ${shrunk} (FUZZ_SEED=${options.seed}: fast-check seed ${seed}, path "${result.counterexamplePath}")`;
}
