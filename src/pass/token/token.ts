/**
 * The museum pass token: a CWT of the pass's claims, signed as COSE_Sign1 with ES256,
 * zlib-compressed, Base45-encoded and prefixed `TC1:`. The layers are the EU Digital COVID
 * Certificate's (HC1:), so its conformance vectors test them. Pure TypeScript on WebCrypto:
 * it runs in Node and in the browser alike.
 */
import { type Static, Type } from 'typebox';
import { base45Decode, base45Encode } from './base45.ts';
import { cborEncode } from './cbor.ts';
import { hex, parseSign1, type Sign1, sign1, type TrustList, verifySign1 } from './cose.ts';
import { CLAIM_EXP, CLAIM_IAT, CLAIM_ISS, checkTimes, decodeCwt, iso, SKEW_SECONDS } from './cwt.ts';
import { fail, ok, type Result } from './result.ts';
import { deflate, inflate } from './zlib.ts';

export const PASS_PREFIX = 'TC1:';
/** The DCC's prefix, accepted by the conformance runner only. */
export const DCC_PREFIX = 'HC1:';
/** A QR code holds at most 4296 alphanumeric characters; nothing longer can be a token. */
export const MAX_TOKEN_CHARS = 4296;
/** The pass claim's label: RFC 8392 §9.1 leaves labels below -65536 to private use. */
export const CLAIM_PASS = -65537;
const PASS = { id: 1, holder: 2, idHash: 3, photo: 4, validFrom: 5, validUntil: 6 } as const;
const ID_HASH_BYTES = 16;

export const PassClaims = Type.Object({
  /** The issuer, e.g. the scheme's id. */
  iss: Type.String({ minLength: 1 }),
  /** Seconds since the epoch: when this token was issued, and its (short) expiry. */
  iat: Type.Integer(),
  exp: Type.Integer(),
  pass: Type.Object({
    id: Type.String({ minLength: 1 }),
    holder: Type.String({ minLength: 1 }),
    /** `idNumberHash` of the holder's ID number, hex; the number itself is never in a token. */
    idHash: Type.String({ pattern: `^[0-9a-f]{${ID_HASH_BYTES * 2}}$` }),
    /** Where the gate finds the holder's photo; the photo itself is not in the token. */
    photo: Type.String(),
    /** The pass's own validity (a year from activation), seconds since the epoch. */
    validFrom: Type.Integer(),
    validUntil: Type.Integer(),
  }),
});
export type PassClaims = Static<typeof PassClaims>;

export interface SigningKey {
  kid: Uint8Array;
  privateKey: CryptoKey;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** A key id is the first 8 bytes of the SHA-256 of the public key's SPKI, as the DCC does
 * with its certificates; ids may collide, which is why verifiers try every key of an id. */
export async function keyId(publicKey: CryptoKey): Promise<Uint8Array> {
  const spki = await globalThis.crypto.subtle.exportKey('spki', publicKey);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', spki)).slice(0, 8);
}

export async function generateSigningKey(): Promise<SigningKey & { publicKey: CryptoKey }> {
  const pair = await globalThis.crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  return { kid: await keyId(pair.publicKey), privateKey: pair.privateKey, publicKey: pair.publicKey };
}

export function importPublicKey(spki: Uint8Array): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('spki', new Uint8Array(spki), EC, true, ['verify']);
}

/** The hash a token carries instead of the holder's ID number: SHA-256 over the pass id and the
 * number, first 16 bytes. Salted by the pass id so equal numbers do not look equal across
 * passes; an ID number has little entropy, so this keeps it out of sight, not out of reach of
 * someone who guesses numbers for one token. */
export async function idNumberHash(passId: string, idNumber: string): Promise<string> {
  const text = new TextEncoder().encode(`tongcheng-pass:${passId}:${idNumber.trim().toUpperCase()}`);
  return hex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', text)).slice(0, ID_HASH_BYTES));
}

export async function encodeToken(claims: PassClaims, key: SigningKey): Promise<string> {
  const p = claims.pass;
  if (claims.exp <= claims.iat) throw new Error('a token must expire after it is issued');
  if (claims.exp > p.validUntil) throw new Error('a token must not outlive its pass');
  const payload = cborEncode(
    new Map<number, unknown>([
      [CLAIM_ISS, claims.iss],
      [CLAIM_IAT, claims.iat],
      [CLAIM_EXP, claims.exp],
      [
        CLAIM_PASS,
        new Map<number, unknown>([
          [PASS.id, p.id],
          [PASS.holder, p.holder],
          [PASS.idHash, fromHex(p.idHash)],
          [PASS.photo, p.photo],
          [PASS.validFrom, p.validFrom],
          [PASS.validUntil, p.validUntil],
        ]),
      ],
    ]),
  );
  return PASS_PREFIX + base45Encode(deflate(await sign1(payload, key.kid, key.privateKey)));
}

/** Verifies a pass token offline against the gate's trust list at `now` (ms since the epoch). */
export async function decodeToken(
  text: string,
  trust: TrustList,
  now: number,
  skew = SKEW_SECONDS,
): Promise<Result<PassClaims>> {
  const cose = unwrap(text, PASS_PREFIX);
  if (!cose.ok) return cose;
  // Deflate lets many streams inflate to one message (padding bits, unused Huffman codes, and
  // fflate does not refuse incomplete code sets), so a changed token could still verify. Ours
  // must be exactly what our compressor makes of the message: any other text is refused.
  // (Changing fflate's version or level therefore needs gates that accept both for a token
  // lifetime.)
  if (base45Encode(deflate(cose.value.bytes)) !== text.slice(PASS_PREFIX.length)) {
    return fail('bad-compression', 'not the canonical compression of its message');
  }
  const verified = await verifySign1(cose.value, trust);
  if (!verified.ok) return verified;
  const cwt = decodeCwt(cose.value.payload);
  if (!cwt.ok) return cwt.reason === 'bad-cbor' ? fail('bad-claims', cwt.detail) : cwt;
  const claims = passClaims(cwt.value.claims);
  if (!claims.ok) return claims;
  const nowSeconds = Math.floor(now / 1000);
  const timely = checkTimes(cwt.value, nowSeconds, skew);
  if (!timely.ok) return timely;
  const { validFrom, validUntil } = claims.value.pass;
  if (nowSeconds > validUntil + skew) return fail('expired', `the pass ended at ${iso(validUntil)}`);
  if (validFrom > nowSeconds + skew) return fail('not-yet-valid', `the pass starts at ${iso(validFrom)}`);
  return claims;
}

/** The text layers, outside in: prefix, Base45, zlib, then the COSE_Sign1 structure. */
export function unwrap(text: string, prefix: string): Result<Sign1> {
  if (text.length > MAX_TOKEN_CHARS)
    return fail('too-large', `${text.length} characters, at most ${MAX_TOKEN_CHARS}`);
  const body = unprefix(text, prefix);
  if (!body.ok) return body;
  const compressed = base45Decode(body.value);
  if (!compressed.ok) return compressed;
  const cose = inflate(compressed.value);
  if (!cose.ok) return cose;
  return parseSign1(cose.value);
}

export function unprefix(text: string, prefix: string): Result<string> {
  if (!text.startsWith(prefix)) {
    const seen = text.includes(':') ? text.slice(0, text.indexOf(':') + 1).slice(0, 8) : 'none';
    return fail('bad-prefix', `expected prefix ${prefix}, found ${JSON.stringify(seen)}`);
  }
  return ok(text.slice(prefix.length));
}

function passClaims(claims: ReadonlyMap<unknown, unknown>): Result<PassClaims> {
  const iss = claims.get(CLAIM_ISS);
  const iat = claims.get(CLAIM_IAT);
  const exp = claims.get(CLAIM_EXP);
  const pass = claims.get(CLAIM_PASS);
  if (typeof iss !== 'string' || !iss) return fail('bad-claims', 'no issuer');
  if (typeof iat !== 'number' || typeof exp !== 'number')
    return fail('bad-claims', 'iat and exp are required');
  if (!(pass instanceof Map)) return fail('bad-claims', 'no pass claim');
  const id = pass.get(PASS.id);
  const holder = pass.get(PASS.holder);
  const idHash = pass.get(PASS.idHash);
  const photo = pass.get(PASS.photo);
  const validFrom = pass.get(PASS.validFrom);
  const validUntil = pass.get(PASS.validUntil);
  if (typeof id !== 'string' || !id || typeof holder !== 'string' || !holder || typeof photo !== 'string') {
    return fail('bad-claims', 'pass id, holder and photo must be text');
  }
  if (!(idHash instanceof Uint8Array) || idHash.length !== ID_HASH_BYTES) {
    return fail('bad-claims', `the ID hash must be ${ID_HASH_BYTES} bytes`);
  }
  if (!Number.isSafeInteger(validFrom) || !Number.isSafeInteger(validUntil)) {
    return fail('bad-claims', 'pass validity must be integer NumericDates');
  }
  return ok({
    iss,
    iat,
    exp,
    pass: {
      id,
      holder,
      idHash: hex(idHash),
      photo,
      validFrom: validFrom as number,
      validUntil: validUntil as number,
    },
  });
}

function fromHex(text: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new Error(`not lowercase hex: ${text}`);
  return Uint8Array.from(text.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}
