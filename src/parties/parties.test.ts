import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ADMIN } from '../lib/access.ts';
import { ConfigError } from '../lib/config.ts';
import { Problem } from '../lib/errors.ts';
import { migrate } from '../store/index.ts';
import { testStores } from '../store/testing.ts';
import type { Party } from './model.ts';
import { CONFIGURED_KEY_LABEL, PartiesService } from './service.ts';
import { migrations, PartiesStore } from './store.ts';

const parties: Party[] = [
  { id: 'tongcheng', kind: 'scheme', name: { zh: '同城', en: 'Tongcheng' }, jurisdiction: null },
  { id: 'shanghai', kind: 'jurisdiction', name: { zh: '上海市', en: 'Shanghai' }, jurisdiction: 'shanghai' },
  {
    id: 'shanghai-metro',
    kind: 'operator',
    name: { zh: '上海地铁', en: 'Shanghai Metro' },
    jurisdiction: 'shanghai',
  },
  {
    id: 'suzhou-museum',
    kind: 'museum',
    name: { zh: '苏州博物馆', en: 'Suzhou Museum' },
    jurisdiction: 'jiangsu',
  },
];

describe.each(testStores)('parties and keys on $dialect', ({ open }) => {
  let opened: Awaited<ReturnType<typeof open>>;
  let service: PartiesService;

  beforeAll(async () => {
    opened = await open();
    await migrate(opened.store, migrations);
    service = new PartiesService(new PartiesStore(opened.store.db));
    await service.seed(parties);
  });
  afterAll(() => opened.drop());

  it('migrates once: running the migrations again changes nothing', async () => {
    expect(await migrate(opened.store, migrations)).toEqual([]);
  });

  it('seeds idempotently and updates names', async () => {
    await service.seed(parties);
    await service.seed([{ ...parties[2], name: { zh: '上海地铁', en: 'Shanghai Metro (renamed)' } }]);
    const listed = await service.listParties();
    expect(listed).toHaveLength(parties.length);
    expect(listed.find((p) => p.id === 'shanghai-metro')?.name.en).toBe('Shanghai Metro (renamed)');
    await service.seed(parties);
  });

  it('creates a key whose secret authenticates as its party and role, and is stored only hashed', async () => {
    const { key, secret } = await service.createKey(LOCAL_ADMIN, {
      party: 'shanghai-metro',
      role: 'operator',
      label: 'gate 1',
    });
    expect(secret).toMatch(/^tc_[A-Za-z0-9_-]{43}$/);
    expect(await service.authenticate(secret)).toEqual({
      keyId: key.id,
      party: 'shanghai-metro',
      role: 'operator',
    });
    expect(await service.authenticate(`${secret}x`)).toBeNull();
    const db = opened.store.db.withTables<{ api_keys: { secret_hash: string; id: string } }>();
    const row = await db
      .selectFrom('api_keys')
      .select('secret_hash')
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).not.toContain(secret);
    expect(row.secret_hash).toHaveLength(64);
  });

  it('revokes: the key stops working, and revoking again changes nothing', async () => {
    const { key, secret } = await service.createKey(LOCAL_ADMIN, { party: 'suzhou-museum', role: 'museum' });
    const revoked = await service.revokeKey(LOCAL_ADMIN, key.id, new Date('2026-11-29T10:00:00Z'));
    expect(revoked.revokedAt).toBe('2026-11-29T10:00:00.000Z');
    expect(await service.authenticate(secret)).toBeNull();
    const again = await service.revokeKey(LOCAL_ADMIN, key.id, new Date('2026-12-01T00:00:00Z'));
    expect(again.revokedAt).toBe('2026-11-29T10:00:00.000Z');
  });

  it('refuses bad requests with a problem naming the field, and writes nothing', async () => {
    const before = (await service.listKeys(LOCAL_ADMIN)).length;
    const attempts: [Parameters<PartiesService['createKey']>[1], string, string][] = [
      [{ party: 'nobody', role: 'operator' }, 'unknown-party', 'party'],
      [{ party: 'shanghai-metro', role: 'emperor' }, 'invalid-role', 'role'],
      [{ party: 'shanghai-metro', role: 'admin' }, 'role-not-allowed', 'role'],
      [{ party: 'suzhou-museum', role: 'operator' }, 'role-not-allowed', 'role'],
    ];
    for (const [input, code, field] of attempts) {
      await expect(service.createKey(LOCAL_ADMIN, input)).rejects.toMatchObject({ code, field });
    }
    await expect(service.revokeKey(LOCAL_ADMIN, 'key_missing')).rejects.toMatchObject({ status: 404 });
    expect((await service.listKeys(LOCAL_ADMIN)).length).toBe(before);
  });

  it('lets only admins manage keys', async () => {
    const operator = { keyId: 'k', party: 'shanghai-metro', role: 'operator' as const };
    await expect(service.listKeys(operator)).rejects.toBeInstanceOf(Problem);
    await expect(service.createKey(null, { party: 'shanghai', role: 'agency' })).rejects.toMatchObject({
      status: 403,
    });
  });

  it('bootstraps exactly one admin key, or registers the configured one', async () => {
    const first = await service.ensureAdminKey(undefined, 'tongcheng');
    expect(first).toMatch(/^tc_/);
    expect(await service.ensureAdminKey(undefined, 'tongcheng')).toBeNull();
    expect(await service.ensureAdminKey('my-chosen-admin-secret', 'tongcheng')).toBeNull();
    expect(await service.ensureAdminKey('my-chosen-admin-secret', 'tongcheng')).toBeNull();
    expect((await service.authenticate('my-chosen-admin-secret'))?.role).toBe('admin');
    expect(
      (await service.listKeys(LOCAL_ADMIN)).filter((k) => k.label === 'TONGCHENG_ADMIN_KEY'),
    ).toHaveLength(1);
  });

  it('never authenticates a secret it did not issue (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60 }), async (guess) => {
        expect(await service.authenticate(guess)).toSatisfy(
          (p) => p === null || guess === 'my-chosen-admin-secret',
        );
      }),
      { numRuns: 50 },
    );
  });

  it('revokes the configured admin key when TONGCHENG_ADMIN_KEY changes, and refuses a revoked one back', async () => {
    const first = 'a'.repeat(32);
    const second = 'b'.repeat(32);
    await service.ensureAdminKey(first, 'tongcheng');
    expect((await service.authenticate(first))?.role).toBe('admin');
    const firstId = (await service.authenticate(first))!.keyId;
    await service.ensureAdminKey(second, 'tongcheng', new Date('2026-12-01T00:00:00Z'));
    expect(await service.authenticate(first)).toBeNull();
    expect((await service.authenticate(second))?.role).toBe('admin');
    const configured = (await service.listKeys(LOCAL_ADMIN)).filter((k) => k.label === CONFIGURED_KEY_LABEL);
    expect(configured.filter((k) => k.revokedAt === null)).toHaveLength(1);
    expect(configured.find((k) => k.id === firstId)?.revokedAt).toBe('2026-12-01T00:00:00.000Z');
    // Other admin keys are not the setting's: they stay.
    const { secret } = await service.createKey(LOCAL_ADMIN, {
      party: 'tongcheng',
      role: 'admin',
      label: 'ops',
    });
    await service.ensureAdminKey(second, 'tongcheng');
    expect(await service.authenticate(secret)).not.toBeNull();
    await expect(service.ensureAdminKey(first, 'tongcheng')).rejects.toBeInstanceOf(ConfigError);
    await expect(service.ensureAdminKey(first, 'tongcheng')).rejects.toThrow(/revoked .*choose a new secret/);
    expect(await service.authenticate(first)).toBeNull();
    expect((await service.authenticate(second))?.role).toBe('admin');
  });

  it('keeps the configured key’s label for it alone', async () => {
    await expect(
      service.createKey(LOCAL_ADMIN, { party: 'tongcheng', role: 'admin', label: CONFIGURED_KEY_LABEL }),
    ).rejects.toMatchObject({ code: 'invalid-input', field: 'label' });
  });
});
