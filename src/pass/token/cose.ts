/**
 * COSE_Sign1 (RFC 9052 §4.2) with ES256 (RFC 9053 §2.1: ECDSA P-256, SHA-256, the signature as
 * raw r‖s of 32 bytes each, which is also WebCrypto's format). Key ids are looked up in the
 * protected header first, then the unprotected one (the DCC puts them in either; a protected kid
 * wins, since only it is covered by the signature).
 */
import { Tag } from 'cbor-x';
import { cborDecode, cborEncode } from './cbor.ts';
import { fail, ok, type Result } from './result.ts';

export const ALG_ES256 = -7;
const HEADER_ALG = 1;
const HEADER_KID = 4;
const TAG_SIGN1 = 18;
const TAG_CWT = 61;
const ECDSA = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface Sign1 {
  /** The whole message's bytes. */
  bytes: Uint8Array;
  /** The protected header's bytes, exactly as signed. */
  protectedBytes: Uint8Array;
  alg: number | null;
  kid: Uint8Array | null;
  payload: Uint8Array;
  signature: Uint8Array;
}

/** Trusted public keys by key id (hex). Several keys may share a key id (RFC 9052 §3.1). */
export type TrustList = ReadonlyMap<string, readonly CryptoKey[]>;

export const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function trustList(keys: readonly { kid: Uint8Array; publicKey: CryptoKey }[]): TrustList {
  const list = new Map<string, CryptoKey[]>();
  for (const { kid, publicKey } of keys) {
    const id = hex(kid);
    list.set(id, [...(list.get(id) ?? []), publicKey]);
  }
  return list;
}

export async function sign1(
  payload: Uint8Array,
  kid: Uint8Array,
  privateKey: CryptoKey,
): Promise<Uint8Array> {
  const protectedBytes = cborEncode(
    new Map<number, unknown>([
      [HEADER_ALG, ALG_ES256],
      [HEADER_KID, kid],
    ]),
  );
  const signature = new Uint8Array(
    await globalThis.crypto.subtle.sign(ECDSA, privateKey, sigStructure(protectedBytes, payload)),
  );
  return cborEncode(new Tag([protectedBytes, new Map(), payload, signature], TAG_SIGN1));
}

export function parseSign1(bytes: Uint8Array): Result<Sign1> {
  const decoded = cborDecode(bytes);
  if (!decoded.ok) return decoded.reason === 'too-deep' ? decoded : fail('bad-cose', decoded.detail);
  let value = decoded.value;
  // A CWT may be tagged as such (61) around the COSE tag (18); both tags are optional.
  if (value instanceof Tag && value.tag === TAG_CWT) value = value.value;
  if (value instanceof Tag && value.tag === TAG_SIGN1) value = value.value;
  if (value instanceof Tag) return fail('bad-cose', `unexpected CBOR tag ${value.tag}`);
  if (!Array.isArray(value) || value.length !== 4)
    return fail('bad-cose', 'COSE_Sign1 is not an array of four');
  const [protectedBytes, unprotected, payload, signature] = value as unknown[];
  if (!(protectedBytes instanceof Uint8Array))
    return fail('bad-cose', 'protected header is not a byte string');
  if (!(unprotected instanceof Map)) return fail('bad-cose', 'unprotected header is not a map');
  if (!(payload instanceof Uint8Array)) return fail('bad-cose', 'payload is not a byte string');
  if (!(signature instanceof Uint8Array)) return fail('bad-cose', 'signature is not a byte string');
  let prot: Map<unknown, unknown> = new Map();
  if (protectedBytes.length > 0) {
    const p = cborDecode(protectedBytes);
    if (!p.ok) return p.reason === 'too-deep' ? p : fail('bad-cose', `protected header: ${p.detail}`);
    if (!(p.value instanceof Map)) return fail('bad-cose', 'protected header is not a map');
    prot = p.value;
  }
  const header = (label: number) => (prot.has(label) ? prot.get(label) : unprotected.get(label));
  const alg = header(HEADER_ALG);
  const kid = header(HEADER_KID);
  if (alg !== undefined && typeof alg !== 'number') return fail('bad-cose', 'alg is not an integer');
  if (kid !== undefined && !(kid instanceof Uint8Array)) return fail('bad-cose', 'kid is not a byte string');
  return ok({ bytes, protectedBytes, alg: alg ?? null, kid: kid ?? null, payload, signature });
}

/** Verifies with every trusted key of the message's key id; succeeds if any key does. */
export async function verifySign1(msg: Sign1, trust: TrustList): Promise<Result<Sign1>> {
  if (msg.alg !== ALG_ES256) return fail('unsupported-alg', `alg ${msg.alg ?? 'missing'}; only ES256 (-7)`);
  if (!msg.kid) return fail('unknown-key', 'no key id');
  const keys = trust.get(hex(msg.kid));
  if (!keys?.length) return fail('unknown-key', `no trusted key has id ${hex(msg.kid)}`);
  if (msg.signature.length !== 64)
    return fail('bad-signature', `signature is ${msg.signature.length} bytes, not 64`);
  const tbs = sigStructure(msg.protectedBytes, msg.payload);
  for (const key of keys) {
    if (await globalThis.crypto.subtle.verify(ECDSA, key, new Uint8Array(msg.signature), tbs)) return ok(msg);
  }
  return fail('bad-signature', `no key with id ${hex(msg.kid)} verifies the signature`);
}

/** Sig_structure = ["Signature1", protected, external_aad = h'', payload], written directly
 * so its bytes are canonical whatever an encoder prefers. */
function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const context = new TextEncoder().encode('Signature1');
  const parts = [Uint8Array.of(0x84, 0x6a), context, bstrHead(protectedBytes.length), protectedBytes];
  parts.push(Uint8Array.of(0x40), bstrHead(payload.length), payload);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function bstrHead(n: number): Uint8Array {
  if (n < 24) return Uint8Array.of(0x40 | n);
  if (n < 0x100) return Uint8Array.of(0x58, n);
  if (n < 0x10000) return Uint8Array.of(0x59, n >> 8, n & 0xff);
  return Uint8Array.of(0x5a, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}
