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
  // fflate does not check the stream's Adler-32 (RFC 1950 §2.2); a gate must.
  const n = bytes.length;
  const stored = ((bytes[n - 4] << 24) | (bytes[n - 3] << 16) | (bytes[n - 2] << 8) | bytes[n - 1]) >>> 0;
  if (stored !== adler32(out)) return fail('bad-compression', 'zlib checksum does not match');
  return ok(out);
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    // 5552 is the most bytes before the sums can exceed 2^32 (zlib's NMAX).
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
