/** Just enough DER (X.690) to take the public key out of an X.509 certificate (RFC 5280 §4.1). */

interface Tlv {
  tag: number;
  /** The whole element, header included. */
  start: number;
  contentStart: number;
  end: number;
}

function tlv(der: Uint8Array, pos: number): Tlv {
  if (pos + 2 > der.length) throw new Error('DER truncated');
  const tag = der[pos];
  let len = der[pos + 1];
  let contentStart = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER length form not supported');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[contentStart + i];
    contentStart += n;
  }
  const end = contentStart + len;
  if (end > der.length) throw new Error('DER element longer than its input');
  return { tag, start: pos, contentStart, end };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.end; pos = out[out.length - 1].end)
    out.push(tlv(der, pos));
  return out;
}

/** The SubjectPublicKeyInfo of a certificate, as WebCrypto's `spki` import takes it. */
export function certificateSpki(der: Uint8Array): Uint8Array {
  const certificate = tlv(der, 0);
  const tbs = children(der, certificate)[0];
  if (certificate.tag !== 0x30 || tbs?.tag !== 0x30) throw new Error('not an X.509 certificate');
  // version [0] is optional; then serial, signature, issuer, validity, subject, subjectPublicKeyInfo
  const fields = children(der, tbs).filter((f, i) => !(i === 0 && f.tag === 0xa0));
  const spki = fields[5];
  if (spki?.tag !== 0x30) throw new Error('certificate has no subjectPublicKeyInfo');
  return der.slice(spki.start, spki.end);
}
