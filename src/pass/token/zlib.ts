/** zlib (RFC 1950) compression of the COSE message, with a bound on what inflating may produce. */
import { Unzlib, zlibSync } from 'fflate';
import { fail, ok, type Result } from './result.ts';

/** Far above any pass token (a few hundred bytes), far below what could hurt a gate. */
export const MAX_INFLATED = 64 * 1024;
/** Input is fed in slices this small so that one slice can never inflate to much more than the
 * bound (deflate expands at most about 1032:1) before the bound is checked. */
const SLICE = 256;

export function deflate(bytes: Uint8Array): Uint8Array {
  return zlibSync(bytes, { level: 9 });
}

export function inflate(bytes: Uint8Array, max = MAX_INFLATED): Result<Uint8Array> {
  if (bytes.length < 2 || (bytes[0] & 0x0f) !== 8 || ((bytes[0] << 8) | bytes[1]) % 31 !== 0) {
    return fail('bad-compression', 'not a zlib stream (bad header)');
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  const stream = new Unzlib((chunk, final) => {
    size += chunk.length;
    if (size <= max) chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < bytes.length && size <= max; i += SLICE) {
      stream.push(bytes.subarray(i, i + SLICE), i + SLICE >= bytes.length);
    }
  } catch (error) {
    return fail('bad-compression', `zlib: ${(error as Error).message}`);
  }
  if (size > max) return fail('too-large', `inflates to more than ${max} bytes`);
  if (!ended) return fail('bad-compression', 'zlib stream is truncated');
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return ok(out);
}
