/**
 * Gate verification of pass tokens on one core: `decodeToken` (prefix, Base45, zlib, COSE,
 * ES256 verify with WebCrypto, CWT and times) over a set of distinct tokens, in sequence, so
 * the figure is one core's. Prints one JSON object.
 *
 *   node --import tsx bench/pass/verify.ts [verifications=20000]
 */
import { trustList } from '../../src/pass/token/cose.ts';
import { decodeToken, encodeToken, generateSigningKey, idNumberHash } from '../../src/pass/token/token.ts';

const N = Number(process.argv[2] ?? 20_000);
const TOKENS = 200;
const now = Date.now();
const s = Math.floor(now / 1000);
// Two issuing keys in the trust list, as during a rotation's overlap.
const [old, key] = [await generateSigningKey(), await generateSigningKey()];
const trust = trustList([old, key]);
const tokens: string[] = [];
for (let i = 0; i < TOKENS; i++) {
  const id = `P-2026-${String(i).padStart(6, '0')}`;
  tokens.push(
    await encodeToken(
      {
        iss: 'tongcheng',
        iat: s,
        exp: s + 86_400,
        pass: {
          id,
          holder: '张三',
          idHash: await idNumberHash(id, '31010119900101123X'),
          photo: `photos/${id}.jpg`,
          validFrom: s - 86_400,
          validUntil: s + 300 * 86_400,
        },
      },
      key,
    ),
  );
}
for (let i = 0; i < 2000; i++) await decodeToken(tokens[i % TOKENS], trust, now); // warm-up

const latencies = new Float64Array(N);
const start = performance.now();
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  const r = await decodeToken(tokens[i % TOKENS], trust, now);
  latencies[i] = performance.now() - t0;
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
}
const seconds = (performance.now() - start) / 1000;
latencies.sort();
const q = (p: number) => Number(latencies[Math.min(N - 1, Math.floor(p * N))].toFixed(3));
process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'pass-verify',
      node: process.version,
      verifications: N,
      tokenChars: tokens[0].length,
      perSecond: Math.round(N / seconds),
      latencyMs: { p50: q(0.5), p99: q(0.99), max: q(1) },
      goals: { perSecond: 10_000, latencyMs: 1 },
    },
    null,
    2,
  )}\n`,
);
