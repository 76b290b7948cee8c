/** zlib (RFC 1950) compression of the COSE message, with a bound on what inflating may produce. */
import { unzlibSync, zlibSync } from 'fflate';
import { fail, ok, type Result } from './result.ts';

/** Far above any pass token (a few hundred bytes), far below what could hurt a gate. */
export const MAX_INFLATED = 64 * 1024;

let scratch = new Uint8Array(MAX_INFLATED + 1);

export function deflate(bytes: Uint8Array): Uint8Array {
  return zlibSync(bytes, { level: 9 });
}

export function inflate(bytes: Uint8Array, max = MAX_INFLATED): Result<Uint8Array> {
  if (bytes.length < 2 || (bytes[0] & 0x0f) !== 8 || ((bytes[0] << 8) | bytes[1]) % 31 !== 0) {
    return fail('bad-compression', 'not a zlib stream (bad header)');
  }
  // Inflating into a buffer one byte larger than the bound: fflate stops when it is full, so a
  // bomb costs at most that buffer, and a full buffer means the bound was passed. The buffer is
  // reused (JavaScript runs one inflate at a time) and the result copied out of it.
  if (scratch.length < max + 1) scratch = new Uint8Array(max + 1);
  let out: Uint8Array;
  try {
    out = unzlibSync(bytes, { out: scratch.subarray(0, max + 1) }).slice();
  } catch (error) {
    return fail('bad-compression', `zlib: ${(error as Error).message}`);
  }
  if (out.length > max) return fail('too-large', `inflates to more than ${max} bytes`);
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
