/**
 * How a validator signs a batch: Ed25519 (RFC 8032) over `batchPayload`, a JSON array whose
 * order is fixed here, so that a signature never depends on how a JSON encoder orders keys.
 * The device keeps its private key; Tongcheng holds the public key it was registered with.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { Tap, TapBatch } from './model.ts';

export function batchPayload(batch: Pick<TapBatch, 'device' | 'seq' | 'taps'>): Buffer {
  const taps = batch.taps.map((t: Tap) => [t.id, t.card, t.kind, t.stop, t.route ?? null, t.at]);
  return Buffer.from(JSON.stringify([1, batch.device, batch.seq, taps]), 'utf8');
}

/** The batch's fingerprint: the same batch sent again has it, another batch under the same number does not. */
export const batchDigest = (batch: TapBatch): string =>
  createHash('sha256').update(batchPayload(batch)).digest('base64url');

export function publicKeyObject(publicKey: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
}

export function verifyBatch(batch: TapBatch, key: KeyObject): boolean {
  const signature = Buffer.from(batch.signature, 'base64url');
  if (signature.length !== 64) return false;
  return verify(null, batchPayload(batch), key, signature);
}

/** A device's key pair, as base64url: what a validator (or the simulator) makes once. */
export interface DeviceKey {
  publicKey: string;
  privateKey: string;
}

export function signBatch(batch: Omit<TapBatch, 'signature'>, privateKey: KeyObject): TapBatch {
  return { ...batch, signature: sign(null, batchPayload(batch), privateKey).toString('base64url') };
}

/** The private key object of a device key pair written by `deviceKeyFromSeed`. */
export function privateKeyObject(key: DeviceKey): KeyObject {
  return createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey, d: key.privateKey },
    format: 'jwk',
  });
}

/** A key pair from 32 seed bytes (RFC 8032 §5.1.5), so that a seeded simulation is reproducible. */
export function deviceKeyFromSeed(seed: Uint8Array): DeviceKey {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return { publicKey: jwk.x as string, privateKey: jwk.d as string };
}
