/** Base45 (RFC 9285): the QR-code alphanumeric alphabet, two bytes to three characters. */
import { fail, ok, type Result } from './result.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const n = bytes[i] * 256 + bytes[i + 1];
    out += ALPHABET[n % 45] + ALPHABET[Math.floor(n / 45) % 45] + ALPHABET[Math.floor(n / 2025)];
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1];
    out += ALPHABET[n % 45] + ALPHABET[Math.floor(n / 45)];
  }
  return out;
}

/** Refuses what RFC 9285 §4.2 calls invalid: a character outside the alphabet, a dangling single
 * character, and a group whose value does not fit its bytes (above 65535, or 255 for a pair). */
export function base45Decode(text: string): Result<Uint8Array> {
  if (text.length % 3 === 1)
    return fail('bad-base45', `a length of ${text.length} leaves one character over`);
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    let n = 0;
    let weight = 1;
    const end = Math.min(i + 3, text.length);
    for (let j = i; j < end; j++) {
      const code = text.charCodeAt(j);
      const v = code < 128 ? VALUE[code] : -1;
      if (v < 0) return fail('bad-base45', `character ${JSON.stringify(text[j])} at ${j} is not Base45`);
      n += v * weight;
      weight *= 45;
    }
    if (end - i === 3) {
      if (n > 0xffff) return fail('bad-base45', `group at ${i} is ${n}, above 65535`);
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      if (n > 0xff) return fail('bad-base45', `final pair at ${i} is ${n}, above 255`);
      out[o++] = n;
    }
  }
  return ok(out);
}
