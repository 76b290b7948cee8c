/**
 * Errors as values: every layer of the pass token returns either its value or the reason it
 * refused the input, so a gate can show (and count) why a token was rejected without catching.
 */
export const REASONS = [
  'bad-prefix',
  'bad-base45',
  'bad-compression',
  'too-large',
  'too-deep',
  'bad-cbor',
  'bad-cose',
  'unsupported-alg',
  'unknown-key',
  'bad-signature',
  'bad-claims',
  'expired',
  'not-yet-valid',
] as const;
export type Reason = (typeof REASONS)[number];

export type Result<T> = { ok: true; value: T } | { ok: false; reason: Reason; detail: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(reason: Reason, detail: string): Result<T> => ({ ok: false, reason, detail });
