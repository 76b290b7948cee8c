import type { Kysely, Migration } from 'kysely';
import type { Role } from '../lib/access.ts';
import type { Executor } from '../store/index.ts';
import type { ApiKey, Party, PartyKind } from './model.ts';

type PartiesTables = {
  /** `name`: the party's `Name` as JSON text, so that any pack's languages fit one column on either database. */
  parties: { id: string; kind: string; name: string; jurisdiction: string | null };
  api_keys: {
    id: string;
    party_id: string;
    role: string;
    label: string | null;
    secret_hash: string;
    created_at: string;
    revoked_at: string | null;
  };
};

export const migrations: Record<string, Migration> = {
  '2026-11-29-01-parties': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('parties')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text')
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
    },
  },
  '2026-12-01-01-party-names': {
    // Names were one column per language (Chinese and English); now one JSON map by language tag.
    // The old Chinese column was the SMA's Simplified Chinese, so it becomes "zh-Hans".
    async up(db: Kysely<unknown>) {
      // The default only lets SQLite add a NOT NULL column to a filled table; every row is set below.
      await db.schema
        .alterTable('parties')
        .addColumn('name', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
      const old = db.withTables<{
        parties: { id: string; name_zh: string; name_en: string; name: string };
      }>();
      const rows = await old.selectFrom('parties').select(['id', 'name_zh', 'name_en']).execute();
      for (const r of rows) {
        await old
          .updateTable('parties')
          .set({ name: JSON.stringify({ 'zh-Hans': r.name_zh, en: r.name_en }) })
          .where('id', '=', r.id)
          .execute();
      }
      await db.schema.alterTable('parties').dropColumn('name_zh').execute();
      await db.schema.alterTable('parties').dropColumn('name_en').execute();
    },
  },
};

type KeyRow = PartiesTables['api_keys'];
type PartyRow = PartiesTables['parties'];

const toParty = (r: PartyRow): Party => ({
  id: r.id,
  kind: r.kind as PartyKind,
  name: JSON.parse(r.name),
  jurisdiction: r.jurisdiction,
});

const toKey = (row: KeyRow): ApiKey => ({
  id: row.id,
  party: row.party_id,
  role: row.role as Role,
  label: row.label,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

export class PartiesStore {
  private readonly db: Kysely<PartiesTables>;

  /** On the database or an open transaction. */
  constructor(readonly executor: Executor) {
    this.db = executor.withTables<PartiesTables>();
  }

  /** The same store on another executor: an open transaction, usually. */
  on(executor: Executor): PartiesStore {
    return new PartiesStore(executor);
  }

  async upsertParties(parties: readonly Party[]): Promise<void> {
    for (const p of parties) {
      const row = { kind: p.kind, name: JSON.stringify(p.name), jurisdiction: p.jurisdiction };
      await this.db
        .insertInto('parties')
        .values({ id: p.id, ...row })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
    }
  }

  async listParties(): Promise<Party[]> {
    const rows = await this.db.selectFrom('parties').selectAll().orderBy('id').execute();
    return rows.map(toParty);
  }

  async getParty(id: string): Promise<Party | undefined> {
    const r = await this.db.selectFrom('parties').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toParty(r);
  }

  async insertKey(key: ApiKey, secretHash: string): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        party_id: key.party,
        role: key.role,
        label: key.label,
        secret_hash: secretHash,
        created_at: key.createdAt,
        revoked_at: key.revokedAt,
      })
      .execute();
  }

  async listKeys(): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toKey);
  }

  async getKey(id: string): Promise<ApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toKey(row);
  }

  async findKeyBySecretHash(secretHash: string): Promise<ApiKey | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .executeTakeFirst();
    return row && toKey(row);
  }

  async revokeKey(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async countActiveKeys(role: Role): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
