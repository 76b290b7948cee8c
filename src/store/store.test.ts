import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openStore, ping } from './index.ts';
import { testStores } from './testing.ts';

describe.each(testStores)('the store on $dialect', ({ dialect, open }) => {
  let opened: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    opened = await open();
  });
  afterAll(() => opened.drop());

  it('answers a ping and names its dialect, without credentials', async () => {
    await ping(opened.store);
    expect(opened.store.dialect).toBe(dialect);
    expect(opened.store.location).not.toMatch(/@/);
  });

  it('runs migrations from several modules in the order of their names, once', async () => {
    const log: string[] = [];
    const step = (name: string) => ({
      up: async (db: any) => {
        log.push(name);
        await db.schema
          .createTable(`t_${name.replaceAll('-', '_')}`)
          .addColumn('id', 'integer', (c: any) => c.primaryKey())
          .execute();
      },
    });
    const migrations = {
      '2026-11-29-02-b': step('2026-11-29-02-b'),
      '2026-11-29-01-a': step('2026-11-29-01-a'),
    };
    expect(await migrate(opened.store, migrations)).toEqual(['2026-11-29-01-a', '2026-11-29-02-b']);
    expect(await migrate(opened.store, migrations)).toEqual([]);
    expect(log).toEqual(['2026-11-29-01-a', '2026-11-29-02-b']);
  });

  it('returns 64-bit integers as exact numbers, not text or bigint', async () => {
    const { rows } = await sql<{ n: unknown }>`select cast(9007199254740991 as bigint) as n`.execute(
      opened.store.db,
    );
    expect(typeof rows[0].n).toBe('number');
    expect(rows[0].n).toBe(9007199254740991);
  });

  it('refuses a 64-bit integer beyond 2^53 rather than round it', async () => {
    await expect(sql`select cast(9007199254740993 as bigint) as n`.execute(opened.store.db)).rejects.toThrow(
      /beyond 2\^53/,
    );
    await expect(sql`select cast(-9007199254740993 as bigint) as n`.execute(opened.store.db)).rejects.toThrow(
      /beyond 2\^53/,
    );
  });
});

it('refuses a DATABASE_URL that is not PostgreSQL', () => {
  expect(() => openStore({ databaseUrl: 'mysql://localhost/x', sqlitePath: '' })).toThrow(/postgres:\/\//);
});
