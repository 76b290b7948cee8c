/**
 * The DCC conformance runner's logic: each test file of the EU Digital COVID Certificate's
 * test data (eu-digital-green-certificates/dgc-testdata) is run through our layers, stage by
 * stage, and each covered expectation compared. A stage's input is the file's own field for it
 * when it has one (BASE45, COMPRESSED, COSE) and otherwise what the previous layers make of
 * PREFIX, so a file with only a prefix still tests every layer.
 */
import { base45Decode } from './base45.ts';
import { ALG_ES256, parseSign1, type Sign1, trustList, verifySign1 } from './cose.ts';
import { type Cwt, checkTimes, decodeCwt } from './cwt.ts';
import { certificateSpki } from './der.ts';
import { fail, ok, type Result } from './result.ts';
import { DCC_PREFIX, importPublicKey, unprefix } from './token.ts';
import { inflate } from './zlib.ts';

export const STAGES = {
  prefix: 'EXPECTEDUNPREFIX',
  base45: 'EXPECTEDB45DECODE',
  compression: 'EXPECTEDCOMPRESSION',
  signature: 'EXPECTEDVERIFY',
  decode: 'EXPECTEDDECODE',
  expiry: 'EXPECTEDEXPIRATIONCHECK',
} as const;
export type Stage = keyof typeof STAGES;

/** Expectations about the DCC's own payload and media, which no token layer of ours covers. */
export const UNCOVERED: Record<string, string> = {
  EXPECTEDKEYUSAGE: "the signer certificate's DCC-type key-usage OIDs are DCC policy, not a token layer",
  EXPECTEDSCHEMAVALIDATION: 'the DCC JSON schema is the DCC payload, not a token layer',
  EXPECTEDVALIDJSON: 'comparing the decoded DCC with its JSON is the DCC payload, not a token layer',
  EXPECTEDVALIDOBJECT: 'the DCC object model is the DCC payload, not a token layer',
  EXPECTEDENCODE: 'the DCC encoder is not ours; our encoder is tested by round trips',
  EXPECTEDPICTUREDECODE: "reading a QR image is the gate camera's job, not a token layer",
};

export interface StageReport {
  agreed: number;
  disagreed: { file: string; expected: boolean; got: boolean; detail: string }[];
  skipped: { file: string; why: string }[];
}

export interface ConformanceReport {
  files: number;
  stages: Record<Stage, StageReport>;
  uncovered: Record<string, { files: string[]; why: string }>;
  /** JSON files that are not DCC test files (no EXPECTEDRESULTS). */
  notTests: string[];
}

type Outcome = { got: boolean; detail: string } | { skip: string };

interface TestFile {
  PREFIX?: string;
  BASE45?: string;
  COMPRESSED?: string;
  COSE?: string;
  TESTCTX?: { CERTIFICATE?: string; VALIDATIONCLOCK?: string };
  EXPECTEDRESULTS?: Record<string, boolean>;
}

export async function runConformance(
  files: readonly { name: string; text: string }[],
): Promise<ConformanceReport> {
  const stage = (): StageReport => ({ agreed: 0, disagreed: [], skipped: [] });
  const stages: Record<Stage, StageReport> = {
    prefix: stage(),
    base45: stage(),
    compression: stage(),
    signature: stage(),
    decode: stage(),
    expiry: stage(),
  };
  const report: ConformanceReport = { files: files.length, stages, uncovered: {}, notTests: [] };
  for (const { name, text } of files) {
    let test: TestFile;
    try {
      test = JSON.parse(text);
    } catch {
      report.notTests.push(name);
      continue;
    }
    const expected = test?.EXPECTEDRESULTS;
    if (typeof expected !== 'object' || expected === null) {
      report.notTests.push(name);
      continue;
    }
    for (const [key, want] of Object.entries(expected)) {
      const stage = (Object.keys(STAGES) as Stage[]).find((s) => STAGES[s] === key);
      if (!stage) {
        report.uncovered[key] ??= { files: [], why: UNCOVERED[key] ?? 'not a stage of our layers' };
        report.uncovered[key].files.push(name);
        continue;
      }
      const outcome = await run(stage, test);
      const r = stages[stage];
      if ('skip' in outcome) r.skipped.push({ file: name, why: outcome.skip });
      else if (outcome.got === want) r.agreed++;
      else r.disagreed.push({ file: name, expected: want, got: outcome.got, detail: outcome.detail });
    }
  }
  return report;
}

async function run(stage: Stage, t: TestFile): Promise<Outcome> {
  const said = (r: Result<unknown>, detail = ''): Outcome =>
    r.ok ? { got: true, detail: detail || 'accepted' } : { got: false, detail: `${r.reason}: ${r.detail}` };
  switch (stage) {
    case 'prefix':
      return t.PREFIX === undefined ? { skip: 'no PREFIX' } : said(unprefix(t.PREFIX, DCC_PREFIX));
    case 'base45': {
      const input = t.BASE45 ?? (t.PREFIX === undefined ? undefined : unprefix(t.PREFIX, DCC_PREFIX));
      if (input === undefined) return { skip: 'no BASE45 or PREFIX' };
      const text = typeof input === 'string' ? input : input.ok ? input.value : null;
      if (text === null) return { skip: 'PREFIX has no HC1: prefix to take off' };
      return said(sameAs(base45Decode(text), t.COMPRESSED, 'COMPRESSED'));
    }
    case 'compression': {
      const input = t.COMPRESSED !== undefined ? fromHex(t.COMPRESSED) : base45Layer(t);
      if (!input.ok) return { skip: `no COMPRESSED, and PREFIX does not reach it (${input.reason})` };
      return said(sameAs(inflate(input.value), t.COSE, 'COSE'));
    }
    case 'signature': {
      const msg = coseLayer(t);
      if (!msg.ok) return said(msg);
      if (msg.value.alg !== ALG_ES256) {
        return {
          skip: `alg ${msg.value.alg} (${ALGS[msg.value.alg ?? 0] ?? 'unknown'}): our layers use ES256 only`,
        };
      }
      if (!t.TESTCTX?.CERTIFICATE) return { skip: 'no TESTCTX.CERTIFICATE' };
      const der = base64(t.TESTCTX.CERTIFICATE);
      let key: CryptoKey;
      try {
        key = await importPublicKey(certificateSpki(der));
      } catch (error) {
        return { got: false, detail: `certificate key: ${(error as Error).message}` };
      }
      // The DCC's key id: the first 8 bytes of the SHA-256 of the signer certificate.
      const kid = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', der)).slice(0, 8);
      return said(await verifySign1(msg.value, trustList([{ kid, publicKey: key }])));
    }
    case 'decode': {
      const msg = coseLayer(t);
      const cwt = msg.ok ? decodeCwt(msg.value.payload) : msg;
      return said(cwt.ok ? hcert(cwt.value) : cwt);
    }
    case 'expiry': {
      const msg = coseLayer(t);
      const clock = Date.parse(t.TESTCTX?.VALIDATIONCLOCK ?? '');
      if (Number.isNaN(clock)) return { skip: 'no TESTCTX.VALIDATIONCLOCK' };
      const cwt = msg.ok ? decodeCwt(msg.value.payload) : msg;
      return said(cwt.ok ? checkTimes(cwt.value, Math.floor(clock / 1000)) : cwt);
    }
  }
}

/** The DCC's own claim, as `decodeToken` checks ours: hcert (-260) holds the certificate, a
 * map, at key 1 (the eHealth Network's DCC technical specifications, volume 1). */
function hcert(cwt: Cwt): Result<Cwt> {
  const claim = cwt.claims.get(-260);
  if (!(claim instanceof Map)) return fail('bad-claims', 'no hcert (-260) claim map');
  if (!(claim.get(1) instanceof Map)) return fail('bad-claims', 'hcert (-260) has no certificate map at 1');
  return ok(cwt);
}

const ALGS: Record<number, string> = { [-7]: 'ES256', [-35]: 'ES384', [-36]: 'ES512', [-37]: 'PS256' };

function base45Layer(t: TestFile): Result<Uint8Array> {
  if (t.BASE45 !== undefined) return base45Decode(t.BASE45);
  if (t.PREFIX === undefined) return fail('bad-prefix', 'no PREFIX');
  const body = unprefix(t.PREFIX, DCC_PREFIX);
  return body.ok ? base45Decode(body.value) : body;
}

function coseLayer(t: TestFile): Result<Sign1> {
  if (t.COSE !== undefined) {
    const bytes = fromHex(t.COSE);
    return bytes.ok ? parseSign1(bytes.value) : bytes;
  }
  const compressed = t.COMPRESSED !== undefined ? fromHex(t.COMPRESSED) : base45Layer(t);
  if (!compressed.ok) return compressed;
  const cose = inflate(compressed.value);
  return cose.ok ? parseSign1(cose.value) : cose;
}

/** A layer agrees only if it succeeds and, where the file gives the next layer's bytes, makes them. */
function sameAs(r: Result<Uint8Array>, hexBytes: string | undefined, field: string): Result<Uint8Array> {
  if (!r.ok || hexBytes === undefined) return r;
  const want = hexBytes.toLowerCase();
  const got = Array.from(r.value, (b) => b.toString(16).padStart(2, '0')).join('');
  return got === want ? r : fail('bad-cbor', `output differs from the file's ${field}`);
}

function fromHex(text: string): Result<Uint8Array> {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return fail('bad-cbor', 'field is not hex');
  return ok(Uint8Array.from(text.match(/../g) ?? [], (h) => Number.parseInt(h, 16)));
}

function base64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
