/**
 * CBOR (RFC 8949) decoding with bounds. cbor-x decodes recursively and trusts declared lengths,
 * so every input is first walked here: it must be one well-formed item filling the input,
 * nested at most `maxDepth` deep, with no length beyond the bytes present. Only then is it
 * handed to cbor-x (maps as `Map`, so integer keys stay integers).
 */
import { Decoder, Encoder } from 'cbor-x';
import { fail, ok, type Result } from './result.ts';

export const MAX_DEPTH = 16;

const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });
const encoder = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false });

export function cborEncode(value: unknown): Uint8Array {
  return encoder.encode(value);
}

export function cborDecode(bytes: Uint8Array, maxDepth = MAX_DEPTH): Result<unknown> {
  const walked = walk(bytes, maxDepth);
  if (walked) return fail(walked.startsWith('nested') ? 'too-deep' : 'bad-cbor', walked);
  try {
    return ok(decoder.decode(bytes));
  } catch (error) {
    return fail('bad-cbor', `CBOR: ${(error as Error).message}`);
  }
}

/** Returns why `bytes` is not one bounded, well-formed CBOR item, or null if it is. */
function walk(bytes: Uint8Array, maxDepth: number): string | null {
  let pos = 0;
  const BREAK = -1;
  // Reads one item's head and its content; returns BREAK for a break code, else 0.
  const item = (depth: number): number => {
    if (depth > maxDepth) throw new Error(`nested deeper than ${maxDepth}`);
    if (pos >= bytes.length) throw new Error('truncated');
    const initial = bytes[pos++];
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (info === 31) {
      if (major === 7) return BREAK;
      if (major === 2 || major === 3) {
        // Indefinite string: definite chunks of the same major type until a break.
        for (;;) {
          if (pos >= bytes.length) throw new Error('truncated');
          if (bytes[pos] === 0xff) {
            pos++;
            return 0;
          }
          if (bytes[pos] >> 5 !== major || (bytes[pos] & 0x1f) === 31) throw new Error('bad string chunk');
          item(depth + 1);
        }
      }
      if (major === 4 || major === 5) {
        for (;;) {
          if (item(depth + 1) === BREAK) return 0;
          if (major === 5 && item(depth + 1) === BREAK) throw new Error('map ends inside a pair');
        }
      }
      throw new Error(`indefinite length for major type ${major}`);
    }
    const n = argument(info);
    switch (major) {
      case 2:
      case 3:
        if (n > bytes.length - pos) throw new Error('string longer than the input');
        pos += n;
        return 0;
      case 4:
      case 5: {
        const items = major === 5 ? n * 2 : n;
        if (items > bytes.length - pos) throw new Error('more items declared than bytes present');
        for (let i = 0; i < items; i++) if (item(depth + 1) === BREAK) throw new Error('unexpected break');
        return 0;
      }
      case 6:
        if (item(depth + 1) === BREAK) throw new Error('unexpected break');
        return 0;
      default:
        return 0;
    }
  };
  const argument = (info: number): number => {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) throw new Error(`reserved additional information ${info}`);
    if (pos + size > bytes.length) throw new Error('truncated');
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + bytes[pos++];
    return n;
  };
  try {
    if (item(0) === BREAK) return 'a lone break code';
    if (pos !== bytes.length) return `${bytes.length - pos} bytes after the item`;
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
