/**
 * The step that moved party names from one column per language into one JSON map keeps the
 * rows (and the keys that point at them) of a database made before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../store/index.ts';
import { testStores } from '../store/testing.ts';
import { PartiesService } from './service.ts';
import { migrations, PartiesStore } from './store.ts';

const FIRST = '2026-11-29-01-parties';

describe.each(testStores)('party names as one map by language, on $dialect', ({ open }) => {
  let opened: Awaited<ReturnType<typeof open>>;

  beforeAll(async () => {
    opened = await open();
    // A database as the first step left it, with a party and a key of that party.
    await migrate(opened.store, { [FIRST]: migrations[FIRST] });
    const old = opened.store.db.withTables<{
      parties: { id: string; kind: string; name_zh: string; name_en: string; jurisdiction: string | null };
      api_keys: { id: string; party_id: string; role: string; secret_hash: string; created_at: string };
    }>();
    await old
      .insertInto('parties')
      .values([
        {
          id: 'shanghai',
          kind: 'jurisdiction',
          name_zh: '上海市',
          name_en: 'Shanghai',
          jurisdiction: 'shanghai',
        },
        {
          id: 'old-museum',
          kind: 'museum',
          name_zh: '旧博物馆',
          name_en: 'Old Museum',
          jurisdiction: 'shanghai',
        },
      ])
      .execute();
    await old
      .insertInto('api_keys')
      .values({
        id: 'key_1',
        party_id: 'old-museum',
        role: 'museum',
        secret_hash: 'a'.repeat(64),
        created_at: '2026-11-30T00:00:00.000Z',
      })
      .execute();
  });
  afterAll(() => opened.drop());

  it('moves name_zh and name_en into one map, zh becoming zh-Hans, and keeps the keys', async () => {
    expect(await migrate(opened.store, migrations)).toEqual(['2026-12-01-01-party-names']);
    const service = new PartiesService(new PartiesStore(opened.store.db));
    expect(await service.listParties()).toEqual([
      {
        id: 'old-museum',
        kind: 'museum',
        name: { 'zh-Hans': '旧博物馆', en: 'Old Museum' },
        jurisdiction: 'shanghai',
      },
      {
        id: 'shanghai',
        kind: 'jurisdiction',
        name: { 'zh-Hans': '上海市', en: 'Shanghai' },
        jurisdiction: 'shanghai',
      },
    ]);
    const keys = await new PartiesStore(opened.store.db).listKeys();
    expect(keys.map((k) => [k.id, k.party])).toEqual([['key_1', 'old-museum']]);
  });

  it('stores names in any languages after it, and renames on a new seed', async () => {
    const service = new PartiesService(new PartiesStore(opened.store.db));
    await service.seed([
      {
        id: 'shanghai',
        kind: 'jurisdiction',
        name: { 'zh-Hans': '上海市', en: 'Shanghai' },
        jurisdiction: 'shanghai',
      },
      {
        id: 'tokyo-metro',
        kind: 'operator',
        name: { ja: '東京地下鉄', en: 'Tokyo Metro' },
        jurisdiction: 'tokyo',
      },
    ]);
    await service.seed([
      {
        id: 'tokyo-metro',
        kind: 'operator',
        name: { ja: '東京メトロ', en: 'Tokyo Metro' },
        jurisdiction: 'tokyo',
      },
    ]);
    const listed = new Map((await service.listParties()).map((p) => [p.id, p.name]));
    expect(listed.get('tokyo-metro')).toEqual({ ja: '東京メトロ', en: 'Tokyo Metro' });
    expect(listed.size).toBe(3);
  });

  it('leaves no column per language behind', async () => {
    const columns = (await opened.store.db.introspection.getTables())
      // PostgreSQL lists every schema's tables; other test files have theirs.
      .find((t) => t.name === 'parties' && (opened.schema === undefined || t.schema === opened.schema))!
      .columns.map((c) => c.name)
      .sort();
    expect(columns).toEqual(['id', 'jurisdiction', 'kind', 'name']);
  });
});
