/**
 * The access check: every operation of the OpenAPI document, called with a valid request by
 * every caller, must answer as its declared `x-access` says. Allowed: neither 401 nor 403 (nor
 * 5xx), and some caller gets a 2xx, so the request really is valid. Refused: 403 `forbidden`,
 * or 401 `unauthorized` for a revoked key or a malformed header, with the database unchanged.
 */
import type { Access } from '../../src/lib/access.ts';
import {
  type Caller,
  callers,
  encoded,
  injection,
  NoExample,
  type Operation,
  operations,
  type Request,
  type Served,
  snapshot,
  validRequest,
} from './openapi.ts';

type Outcome = 'allowed' | 401 | 403;

function expectation(access: Access, caller: Caller, forOwnParty: boolean): Outcome {
  if (caller.refused) return 401;
  if (access === 'public') return 'allowed';
  if (!caller.role || !access.roles.includes(caller.role)) return 403;
  return forOwnParty || caller.role === 'admin' ? 'allowed' : 403;
}

const names = (op: Operation) => [
  ...op.parameters.map((p) => p.name),
  ...Object.keys(op.body?.schema.properties ?? {}),
];

function codeOf(body: string): string | undefined {
  try {
    return JSON.parse(body).code;
  } catch {
    return undefined;
  }
}

/** The differences between what each operation does and what it declares; none when all is well. */
export async function checkAccess(served: Served): Promise<string[]> {
  const { app, runtime, parties, spec } = served;
  const everyParty = await parties.listParties();
  const differences: string[] = [];
  for (const op of operations(spec)) {
    const access = op.access;
    if (access === undefined) {
      differences.push(`${op.id}: declares no x-access`);
      continue;
    }
    const ownParty = access !== 'public' && access.ownParty === true;
    if (ownParty && !names(op).includes('party')) {
      differences.push(`${op.id}: acts for the caller's party but has no parameter or property "party"`);
      continue;
    }
    // Fresh keys for each operation: one that revokes keys may have revoked the last one's.
    const who = await callers(parties);
    const admin = who.find((c) => c.role === 'admin')!.headers;
    const plan = who.map((caller) => ({
      caller,
      label: caller.name,
      party: ownParty ? caller.party : undefined,
      expect: expectation(access, caller, true),
    }));
    if (ownParty) {
      for (const caller of who.filter((c) => c.party !== undefined)) {
        const kind = everyParty.find((p) => p.id === caller.party)!.kind;
        const other =
          everyParty.find((p) => p.kind === kind && p.id !== caller.party) ??
          everyParty.find((p) => p.id !== caller.party)!;
        plan.push({
          caller,
          label: `${caller.name} for another party (${other.id})`,
          party: other.id,
          expect: expectation(access, caller, false),
        });
      }
    }
    // The refused first: what the allowed write must not hide what a refused one wrote.
    plan.sort((a, b) => Number(a.expect === 'allowed') - Number(b.expect === 'allowed'));
    let valid = false;
    let unbuildable = false;
    const seen: string[] = [];
    for (const { caller, label, party, expect } of plan) {
      let request: Request;
      try {
        request = await validRequest(app, op, admin, party);
      } catch (error) {
        if (!(error instanceof NoExample)) throw error;
        differences.push(`${op.id}: ${error.message}`);
        unbuildable = true;
        break;
      }
      const before = expect === 'allowed' ? '' : await snapshot(runtime);
      const response = await app.inject(
        injection(
          op,
          encoded(request),
          {
            ...caller.headers,
            ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          request.body !== undefined ? JSON.stringify(request.body) : undefined,
        ),
      );
      const status = response.statusCode;
      const code = status >= 400 ? codeOf(response.body) : undefined;
      seen.push(`${label} ${status}${code ? ` ${code}` : ''}`);
      if (expect === 'allowed') {
        if (status === 401 || status === 403 || status >= 500) {
          differences.push(`${op.id} as ${label}: allowed by its declaration, got ${status} ${code}`);
        }
        if (status < 300) valid = true;
      } else {
        const wanted = expect === 401 ? 'unauthorized' : 'forbidden';
        if (status !== expect || code !== wanted) {
          differences.push(
            `${op.id} as ${label}: refused by its declaration (${expect} ${wanted}), got ${status} ${code ?? ''}`.trim(),
          );
        }
        if ((await snapshot(runtime)) !== before)
          differences.push(`${op.id} as ${label}: refused, yet the database changed`);
      }
    }
    if (!valid && !unbuildable && plan.some((p) => p.expect === 'allowed')) {
      differences.push(
        `${op.id}: no allowed caller got a 2xx, so the request built from its schema is not valid (give its parameters examples): ${seen.join(', ')}`,
      );
    }
  }
  return differences;
}
