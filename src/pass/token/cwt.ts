/** CBOR Web Token (RFC 8392) claims: the registered ones a gate checks, and the rest as a map. */
import { cborDecode } from './cbor.ts';
import { fail, ok, type Result } from './result.ts';

export const CLAIM_ISS = 1;
export const CLAIM_EXP = 4;
export const CLAIM_NBF = 5;
export const CLAIM_IAT = 6;
/** Gate clocks run offline and drift; a token is accepted this far either side of its times. */
export const SKEW_SECONDS = 300;

export interface Cwt {
  iss: string | null;
  /** NumericDate: seconds since the epoch. */
  exp: number | null;
  nbf: number | null;
  iat: number | null;
  claims: ReadonlyMap<unknown, unknown>;
}

export function decodeCwt(payload: Uint8Array): Result<Cwt> {
  const decoded = cborDecode(payload);
  if (!decoded.ok) return decoded;
  const claims = decoded.value;
  if (!(claims instanceof Map)) return fail('bad-claims', 'CWT claims are not a map');
  const iss = claims.get(CLAIM_ISS);
  if (iss !== undefined && typeof iss !== 'string') return fail('bad-claims', 'iss is not a text string');
  const times: (number | null)[] = [];
  for (const [label, name] of [
    [CLAIM_EXP, 'exp'],
    [CLAIM_NBF, 'nbf'],
    [CLAIM_IAT, 'iat'],
  ] as const) {
    const t = claims.get(label);
    if (t !== undefined && !Number.isSafeInteger(t))
      return fail('bad-claims', `${name} is not an integer NumericDate`);
    times.push(t ?? null);
  }
  const [exp, nbf, iat] = times;
  return ok({ iss: iss ?? null, exp, nbf, iat, claims });
}

/** Refuses a token whose exp has passed, or whose nbf or iat is still ahead, beyond `skew`. */
export function checkTimes(cwt: Cwt, nowSeconds: number, skew = SKEW_SECONDS): Result<Cwt> {
  if (cwt.exp !== null && nowSeconds > cwt.exp + skew) {
    return fail('expired', `token expired at ${iso(cwt.exp)}, now ${iso(nowSeconds)}`);
  }
  for (const [t, name] of [
    [cwt.nbf, 'not valid before'],
    [cwt.iat, 'issued at'],
  ] as const) {
    if (t !== null && t > nowSeconds + skew) {
      return fail('not-yet-valid', `token ${name} ${iso(t)}, now ${iso(nowSeconds)}`);
    }
  }
  return ok(cwt);
}

export const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
