import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ADMIN } from './lib/access.ts';
import { readConfig } from './lib/config.ts';
import { defineModule } from './module.ts';
import { allMigrations, MODULES, openRuntime } from './modules.ts';
import { partiesModule } from './parties/index.ts';
import { type Executor, inTransaction, mergeMigrations } from './store/index.ts';
import { testStores } from './store/testing.ts';

const ROOT = join(import.meta.dirname, '..');

/** A module written after the others, whose one migration is dated before all of theirs. */
type NoteTables = { notes: { id: string; text: string } };
class NoteStore {
  private readonly db: Kysely<NoteTables>;
  constructor(readonly executor: Executor) {
    this.db = executor.withTables<NoteTables>();
  }
  on(executor: Executor) {
    return new NoteStore(executor);
  }
  add(id: string, text: string) {
    return this.db.insertInto('notes').values({ id, text }).execute();
  }
  count() {
    return this.db
      .selectFrom('notes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }
}
const notesModule = defineModule({
  name: 'notes',
  migrations: {
    '2020-01-01-01-notes': {
      up: (db: Kysely<unknown>) =>
        db.schema
          .createTable('notes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('text', 'text', (c) => c.notNull())
          .execute(),
    },
  },
  open: async (env) => new NoteStore(await env.db()),
});

describe('the module list', () => {
  it('has unique names, and merges migrations whose names are unique', () => {
    const names = MODULES.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(allMigrations()).length).toBeGreaterThan(0);
  });

  it('refuses two modules declaring a migration of the same name', () => {
    const step = { up: async () => {} };
    expect(() =>
      mergeMigrations([
        { module: 'a', migrations: { '2026-01-01-01-x': step } },
        { module: 'b', migrations: { '2026-01-01-01-x': step } },
      ]),
    ).toThrow('migration "2026-01-01-01-x" is declared by both a and b');
  });
});

describe.each(testStores)('modules on $dialect', ({ open }) => {
  let opened: Awaited<ReturnType<typeof open>>;
  let config: ReturnType<typeof readConfig>;

  beforeAll(async () => {
    opened = await open();
    await opened.store.close();
    config = readConfig(
      {
        DATABASE_URL: opened.url,
        DATABASE_SCHEMA: opened.schema,
        TONGCHENG_VAR: mkdtempSync(join(tmpdir(), 'tongcheng-modules-')),
      },
      ROOT,
    );
  });
  afterAll(() => opened.drop());

  it('a read-only run refuses a database that does not exist yet or is behind, and creates nothing', async () => {
    const read = await openRuntime(config, 'read');
    await expect(read.service(partiesModule)).rejects.toThrow(/tongcheng migrate/);
    await read.close();
  });

  it('migrates the modules, then a module added later whose migration is dated earlier', async () => {
    const first = await openRuntime(config, 'write');
    await first.close();
    const later = await openRuntime(config, 'write', [...MODULES, notesModule]);
    const notes = await later.service(notesModule);
    expect(await notes.count()).toBe(0);
    await later.close();
  });

  it('a read-only run reads, and cannot write', async () => {
    const read = await openRuntime(config, 'read', [...MODULES, notesModule]);
    const parties = await read.service(partiesModule);
    expect((await parties.listParties()).length).toBeGreaterThan(9);
    await expect((await read.service(notesModule)).add('n1', 'x')).rejects.toThrow(/read.?only/i);
    await expect(parties.createKey(LOCAL_ADMIN, { party: 'tongcheng', role: 'admin' })).rejects.toThrow(
      /read.?only/i,
    );
    await read.close();
  });

  it('two modules’ writes in one transaction commit together and roll back together', async () => {
    const runtime = await openRuntime(config, 'write', [...MODULES, notesModule]);
    const notes = await runtime.service(notesModule);
    const parties = await runtime.service(partiesModule);
    const keysBefore = (await parties.listKeys(LOCAL_ADMIN)).length;
    const db = notes.executor;

    await inTransaction(db, async (tx) => {
      await notes.on(tx).add('together', 'committed with a key');
      await parties.on(tx).createKey(LOCAL_ADMIN, { party: 'suzhou-museum', role: 'museum' });
    });
    expect(await notes.count()).toBe(1);
    expect((await parties.listKeys(LOCAL_ADMIN)).length).toBe(keysBefore + 1);

    await expect(
      inTransaction(db, async (tx) => {
        await notes.on(tx).add('apart', 'rolled back with the key');
        await parties.on(tx).createKey(LOCAL_ADMIN, { party: 'suzhou-museum', role: 'museum' });
        // The same note again: the second module's write fails after the first's succeeded.
        await notes.on(tx).add('apart', 'again');
      }),
    ).rejects.toThrow();
    expect(await notes.count()).toBe(1);
    expect((await parties.listKeys(LOCAL_ADMIN)).length).toBe(keysBefore + 1);

    // A use case that opens a transaction joins the one it is called in.
    await expect(
      inTransaction(db, async (tx) => {
        await inTransaction(tx, (inner) => notes.on(inner).add('nested', 'joins the outer'));
        throw new Error('the outer fails');
      }),
    ).rejects.toThrow('the outer fails');
    expect(await notes.count()).toBe(1);
    await runtime.close();
  });
});
