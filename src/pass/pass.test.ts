import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ADMIN } from '../lib/access.ts';
import type { Runtime } from '../modules.ts';
import { testStores } from '../store/testing.ts';
import { openTestRuntime } from '../testing.ts';
import { passModule } from './index.ts';
import type { PassService } from './service.ts';
import { encodeToken, generateSigningKey } from './token/token.ts';

const NOW = new Date('2026-12-01T10:00:00Z');
const later = (hours: number) => new Date(NOW.getTime() + hours * 3600_000);

describe.each(testStores)('museum passes on $dialect', (testStore) => {
  let runtime: Runtime;
  let passes: PassService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openTestRuntime(testStore);
    runtime = opened.runtime;
    close = opened.close;
    passes = await runtime.service(passModule);
  });
  afterAll(() => close?.());

  it('issues a pass whose token a gate accepts, showing the holder, and never holds the ID number', async () => {
    const issued = await passes.issue(
      LOCAL_ADMIN,
      { holder: '张三', idNumber: '310101199001011234', photo: 'photo:1' },
      NOW,
    );
    expect(issued.token.startsWith('TC1:')).toBe(true);
    expect(issued.token).not.toContain('310101199001011234');
    expect(JSON.stringify(issued)).not.toContain('310101199001011234');
    expect(await passes.verify(issued.token, later(1))).toMatchObject({
      ok: true,
      pass: { id: issued.pass.id, holder: '张三', photo: 'photo:1' },
    });
  });

  it('refuses a changed token, an expired one and a revoked pass, each with its reason', async () => {
    const { token, pass } = await passes.issue(LOCAL_ADMIN, { holder: 'Li Si' }, NOW);
    const i = 30;
    const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    const refused = await passes.verify(changed, later(1));
    expect(refused.ok).toBe(false);
    expect(await passes.verify(token, later(24 * 3))).toMatchObject({ ok: false, reason: 'expired' });
    expect(await passes.verify('TC2:ABC', later(1))).toMatchObject({ ok: false, reason: 'bad-prefix' });
    await passes.revoke(LOCAL_ADMIN, pass.id);
    expect(await passes.verify(token, later(1))).toMatchObject({ ok: false, reason: 'revoked' });
    await expect(passes.token(LOCAL_ADMIN, pass.id, later(1))).rejects.toMatchObject({
      code: 'pass-not-active',
    });
  });

  it('rotates issuing keys with overlap: old tokens still verify, new ones carry the new key', async () => {
    const before = await passes.issue(LOCAL_ADMIN, { holder: 'Wang Wu' }, NOW);
    const key = await passes.rotateKey(LOCAL_ADMIN, later(1));
    const after = await passes.token(LOCAL_ADMIN, before.pass.id, later(2));
    expect(after.kid).toBe(key.kid);
    expect(after.kid).not.toBe(before.kid);
    expect((await passes.verify(before.token, later(3))).ok).toBe(true);
    expect((await passes.verify(after.token, later(3))).ok).toBe(true);
    // Once the old key's last tokens have expired, gates no longer trust it.
    const trusted = (await passes.trustedKeys(later(24 * 3))).map((k) => k.kid);
    expect(trusted).toContain(key.kid);
    expect(trusted).not.toContain(before.kid);
  });

  it('refuses a token signed by a key it does not trust', async () => {
    const stranger = await generateSigningKey();
    const t = Math.floor(NOW.getTime() / 1000);
    const token = await encodeToken(
      {
        iss: 'elsewhere',
        iat: t,
        exp: t + 3600,
        pass: {
          id: 'PX',
          holder: 'Zhao Liu',
          idHash: '0'.repeat(32),
          photo: '',
          validFrom: t,
          validUntil: t + 86_400,
        },
      },
      stranger,
    );
    expect(await passes.verify(token, later(0.5))).toMatchObject({ ok: false, reason: 'unknown-key' });
  });
});
