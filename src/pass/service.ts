import { randomBytes } from 'node:crypto';
import { type Principal, requireRole, SCHEME_PARTY_ID } from '../lib/access.ts';
import { problem } from '../lib/errors.ts';
import { inTransaction } from '../store/index.ts';
import type { IssuedToken, NewPass, Pass, TrustedKey, Verification } from './model.ts';
import type { KeyRow, PassRow, PassStore } from './store.ts';
import { hex, type TrustList, trustList } from './token/cose.ts';
import {
  decodeToken,
  encodeToken,
  generateSigningKey,
  idNumberHash,
  importPublicKey,
  keyId,
} from './token/token.ts';

/** A token lives two days: reissued routinely, so a revocation list need only cover that long. */
export const TOKEN_SECONDS = 2 * 86_400;
const YEAR_MS = 365 * 86_400_000;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;

const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const newPassId = () => `P${randomBytes(8).toString('hex').toUpperCase()}`;
const publicPass = ({ idHash: _, ...pass }: PassRow): Pass => pass;

export class PassService {
  private trusted?: { ids: string; list: TrustList };

  constructor(private readonly store: PassStore) {}

  /** Issues a pass, valid a year from now, and its first token. */
  async issue(actor: Principal | null, input: NewPass, now = new Date()): Promise<IssuedToken> {
    requireRole(actor, 'admin');
    const holder = input.holder.trim();
    if (!holder) throw problem('invalid-input', 'holder: a name is needed', 'holder');
    const id = newPassId();
    const row: PassRow = {
      id,
      holder,
      photo: input.photo ?? '',
      idHash: await idNumberHash(id, input.idNumber ?? ''),
      status: 'active',
      validFrom: now.toISOString(),
      validUntil: new Date(now.getTime() + YEAR_MS).toISOString(),
      issuedAt: now.toISOString(),
    };
    await this.store.insertPass(row);
    return this.sign(row, now);
  }

  async pass(actor: Principal | null, id: string): Promise<Pass> {
    requireRole(actor, 'admin');
    return publicPass(await this.known(id));
  }

  async listPasses(actor: Principal | null, limit = 100): Promise<Pass[]> {
    requireRole(actor, 'admin');
    return (await this.store.listPasses(limit)).map(publicPass);
  }

  /** A fresh token for an active pass: what the holder's app fetches every day or two. */
  async token(actor: Principal | null, id: string, now = new Date()): Promise<IssuedToken> {
    requireRole(actor, 'admin');
    const row = await this.known(id);
    if (row.status !== 'active') throw problem('pass-not-active', `pass ${id} is ${row.status}`, 'id');
    return this.sign(row, now);
  }

  async revoke(actor: Principal | null, id: string): Promise<Pass> {
    requireRole(actor, 'admin');
    await this.known(id);
    await this.store.setStatus(id, 'revoked');
    return publicPass((await this.store.pass(id))!);
  }

  /**
   * Checks a token as a gate would, offline, against the trust list; then, being online, also
   * against the pass's status. Never throws for a bad token: the answer says why.
   */
  async verify(token: string, now = new Date()): Promise<Verification> {
    const trust = await this.trust(now);
    const decoded = await decodeToken(token.trim(), trust, now.getTime());
    if (!decoded.ok) return { ok: false, reason: decoded.reason, detail: decoded.detail };
    const { pass, exp } = decoded.value;
    const row = await this.store.pass(pass.id);
    if (row && row.status !== 'active')
      return { ok: false, reason: 'revoked', detail: `pass ${pass.id} is ${row.status}` };
    return {
      ok: true,
      pass: {
        id: pass.id,
        holder: pass.holder,
        photo: pass.photo,
        validUntil: new Date(pass.validUntil * 1000).toISOString(),
      },
      tokenExpiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /** The trust list of `trustedKeys`, its keys imported once for as long as the set is the same. */
  private async trust(now: Date): Promise<TrustList> {
    const keys = await this.trustedKeys(now);
    const ids = keys.map((k) => k.kid).join(',');
    if (this.trusted?.ids !== ids) {
      const list = trustList(
        await Promise.all(
          keys.map(async (k) => ({
            kid: Uint8Array.from(Buffer.from(k.kid, 'hex')),
            publicKey: await importPublicKey(fromB64(k.spki)),
          })),
        ),
      );
      this.trusted = { ids, list };
    }
    return this.trusted.list;
  }

  /** The public keys a gate trusts: every key not retired, and retired ones whose tokens may still be alive. */
  async trustedKeys(now = new Date()): Promise<TrustedKey[]> {
    const keys = await this.store.keys();
    return keys
      .filter((k) => !k.retiredAt || Date.parse(k.retiredAt) + TOKEN_SECONDS * 1000 > now.getTime())
      .map(({ kid, spki, createdAt, retiredAt }) => ({ kid, spki, createdAt, retiredAt }));
  }

  /** A new issuing key; the others sign nothing more, and stay trusted until their tokens expire (overlap). */
  async rotateKey(actor: Principal | null, now = new Date()): Promise<TrustedKey> {
    requireRole(actor, 'admin');
    return inTransaction(this.store.executor, async (tx) => {
      const store = this.store.on(tx);
      const key = await this.newKey(now);
      await store.retireKeys(key.createdAt, now.toISOString());
      await store.insertKey(key);
      const { privateJwk: _, ...trusted } = key;
      return trusted;
    });
  }

  private async sign(row: PassRow, now: Date): Promise<IssuedToken> {
    const key = await this.signingKey(now);
    const iat = Math.floor(now.getTime() / 1000);
    const validUntil = seconds(row.validUntil);
    const exp = Math.min(iat + TOKEN_SECONDS, validUntil);
    const privateKey = await globalThis.crypto.subtle.importKey(
      'jwk',
      JSON.parse(key.privateJwk),
      EC,
      false,
      ['sign'],
    );
    const kid = Uint8Array.from(Buffer.from(key.kid, 'hex'));
    const token = await encodeToken(
      {
        iss: SCHEME_PARTY_ID,
        iat,
        exp,
        pass: {
          id: row.id,
          holder: row.holder,
          idHash: row.idHash,
          photo: row.photo,
          validFrom: seconds(row.validFrom),
          validUntil,
        },
      },
      { kid, privateKey },
    );
    return { pass: publicPass(row), token, expiresAt: new Date(exp * 1000).toISOString(), kid: key.kid };
  }

  /** The key that signs now: the newest not retired, made on first use. */
  private async signingKey(now: Date): Promise<KeyRow> {
    const current = (await this.store.keys()).filter((k) => !k.retiredAt).at(-1);
    if (current) return current;
    const key = await this.newKey(now);
    await this.store.insertKey(key);
    return key;
  }

  private async newKey(now: Date): Promise<KeyRow> {
    const pair = await generateSigningKey();
    const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', pair.publicKey));
    return {
      kid: hex(await keyId(pair.publicKey)),
      spki: Buffer.from(spki).toString('base64url'),
      privateJwk: JSON.stringify(await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)),
      createdAt: now.toISOString(),
      retiredAt: null,
    };
  }

  private async known(id: string): Promise<PassRow> {
    const row = await this.store.pass(id);
    if (!row) throw problem('unknown-pass', 'there is no such pass', 'id');
    return row;
  }
}
