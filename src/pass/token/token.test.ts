import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base45Decode, base45Encode } from './base45.ts';
import { cborDecode } from './cbor.ts';
import { trustList } from './cose.ts';
import { REASONS } from './result.ts';
import {
  decodeToken,
  encodeToken,
  generateSigningKey,
  idNumberHash,
  PASS_PREFIX,
  type PassClaims,
  type SigningKey,
} from './token.ts';
import { deflate, inflate, MAX_INFLATED } from './zlib.ts';

const text = (s: string) => new TextEncoder().encode(s);
const NOW = Date.parse('2026-11-24T10:00:00+08:00');
const s = Math.floor(NOW / 1000);
const DAY = 86_400;

async function claimsFor(id = 'P-2026-000123', holder = '张三'): Promise<PassClaims> {
  return {
    iss: 'tongcheng',
    iat: s,
    exp: s + DAY,
    pass: {
      id,
      holder,
      idHash: await idNumberHash(id, '31010119900101123X'),
      photo: `photos/${id}.jpg`,
      validFrom: s - 30 * DAY,
      validUntil: s + 335 * DAY,
    },
  };
}

describe('Base45 (RFC 9285)', () => {
  it("encodes and decodes the RFC's examples", () => {
    expect(base45Encode(text('AB'))).toBe('BB8');
    expect(base45Encode(text('Hello!!'))).toBe('%69 VD92EX0');
    expect(base45Encode(text('base-45'))).toBe('UJCLQE7W581');
    const ietf = base45Decode('QED8WEX0');
    expect(ietf.ok && new TextDecoder().decode(ietf.value)).toBe('ietf!');
  });
  it('refuses what the RFC calls invalid, saying why', () => {
    for (const bad of ['GGW', 'A', 'abc', 'BB8é', ':::']) {
      const r = base45Decode(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.reason).toBe('bad-base45');
    }
  });
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = base45Decode(base45Encode(bytes));
        expect(r.ok && Array.from(r.value)).toEqual(Array.from(bytes));
      }),
    );
  });
});

describe('zlib', () => {
  it('round-trips, and refuses a bomb, a broken stream and a wrong checksum', () => {
    const data = text('museum '.repeat(100));
    const z = deflate(data);
    expect(inflate(z)).toEqual({ ok: true, value: data });
    const bomb = inflate(deflate(new Uint8Array(10 * 1024 * 1024)));
    expect(bomb.ok || bomb.reason).toBe('too-large');
    expect(inflate(deflate(new Uint8Array(MAX_INFLATED))).ok).toBe(true);
    expect((inflate(z.subarray(0, z.length - 6)) as { reason: string }).reason).toBe('bad-compression');
    const sum = z.slice();
    sum[sum.length - 1] ^= 1;
    expect((inflate(sum) as { reason: string }).reason).toBe('bad-compression');
    expect((inflate(data) as { reason: string }).reason).toBe('bad-compression');
  });
});

describe('CBOR bounds', () => {
  it('refuses deep nesting before decoding, and lengths beyond the input', () => {
    const deep = new Uint8Array(1_000_000).fill(0x81);
    expect((cborDecode(deep) as { reason: string }).reason).toBe('too-deep');
    expect(cborDecode(Uint8Array.of(0x81, 0x81, 0x00)).ok).toBe(true);
    expect(
      (cborDecode(Uint8Array.of(0x9b, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0)) as { reason: string }).reason,
    ).toBe('bad-cbor');
    expect((cborDecode(Uint8Array.of(0x01, 0x02)) as { reason: string }).reason).toBe('bad-cbor');
  });
});

describe('pass tokens', () => {
  it('verify offline, with every key sharing a key id tried', async () => {
    const [a, b] = [await generateSigningKey(), await generateSigningKey()];
    const claims = await claimsFor();
    const token = await encodeToken(claims, b);
    expect(token.startsWith(PASS_PREFIX)).toBe(true);
    expect(token.length).toBeLessThan(400);
    // a's key listed under b's id too: the gate must try both.
    const trust = trustList([a, { kid: b.kid, publicKey: a.publicKey }, b]);
    expect(await decodeToken(token, trust, NOW)).toEqual({ ok: true, value: claims });
  });

  it('reject forged, unknown-key, expired, early and malformed tokens, each with its reason', async () => {
    const key = await generateSigningKey();
    const forger = await generateSigningKey();
    const trust = trustList([key]);
    const claims = await claimsFor();
    const token = await encodeToken(claims, key);
    const reason = async (t: string, now = NOW) => {
      const r = await decodeToken(t, trust, now);
      return r.ok ? 'accepted' : r.reason;
    };
    const forged: SigningKey = { kid: key.kid, privateKey: forger.privateKey };
    expect(await reason(await encodeToken(claims, forged))).toBe('bad-signature');
    expect(await reason(await encodeToken(claims, forger))).toBe('unknown-key');
    expect(await reason(token, NOW + 2 * DAY * 1000)).toBe('expired');
    expect(await reason(token, NOW - 2 * DAY * 1000)).toBe('not-yet-valid');
    expect(await reason(token, NOW + 290 * 1000)).toBe('accepted'); // within the skew
    expect(await reason(`HC1:${token.slice(4)}`)).toBe('bad-prefix');
    expect(await reason(`${token}a`)).toBe('bad-base45');
    expect(await reason(`${PASS_PREFIX}${'0'.repeat(MAX_INFLATED)}`)).toBe('too-large');
    expect(await reason(`${PASS_PREFIX}${base45Encode(deflate(new Uint8Array(100_000)))}`)).toBe('too-large');
    expect(await reason(`${PASS_PREFIX}${base45Encode(deflate(new Uint8Array(1000).fill(0x81)))}`)).toBe(
      'too-deep',
    );
    expect(await reason(`${PASS_PREFIX}${base45Encode(deflate(text('not cbor')))}`)).toBe('bad-cose');
  });

  it('never carry the ID number, only its salted hash', async () => {
    const claims = await claimsFor();
    const token = await encodeToken(claims, await generateSigningKey());
    const r = base45Decode(token.slice(4));
    const raw = r.ok
      ? new TextDecoder('latin1').decode((inflate(r.value) as { value: Uint8Array }).value)
      : '';
    expect(raw).not.toContain('31010119900101123X');
    expect(await idNumberHash('P-1', '31010119900101123x')).toBe(
      await idNumberHash('P-1', '31010119900101123X'),
    );
    expect(await idNumberHash('P-1', '310101199001011234')).not.toBe(
      await idNumberHash('P-2', '310101199001011234'),
    );
  });

  it('round-trip random claims, and refuse any one-character change with a reason', async () => {
    const key = await generateSigningKey();
    const trust = trustList([key]);
    const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          id: fc.string({ minLength: 1, maxLength: 24 }),
          holder: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
          photo: fc.string({ maxLength: 60 }),
          ttl: fc.integer({ min: 60, max: 7 * DAY }),
        }),
        fc.nat(),
        fc.integer({ min: 1, max: ALPHABET.length - 1 }),
        async ({ id, holder, photo, ttl }, at, shift) => {
          const base = await claimsFor(id, holder);
          const claims = { ...base, exp: s + ttl, pass: { ...base.pass, photo } };
          const token = await encodeToken(claims, key);
          expect(await decodeToken(token, trust, NOW)).toEqual({ ok: true, value: claims });
          const i = at % token.length;
          const j = ALPHABET.indexOf(token[i]);
          const other = j < 0 ? 'X' : ALPHABET[(j + shift) % ALPHABET.length];
          const changed = token.slice(0, i) + other + token.slice(i + 1);
          const r = await decodeToken(changed, trust, NOW);
          expect(r.ok, `changed ${i}: ${token[i]} → ${other}`).toBe(false);
          if (!r.ok) expect(REASONS).toContain(r.reason);
        },
      ),
      { numRuns: 300 },
    );
  });
});
