import type { Kysely, Migration } from 'kysely';
import type { Executor } from '../store/index.ts';
import type { Pass } from './model.ts';

type PassTables = {
  pass_passes: {
    id: string;
    holder: string;
    photo: string;
    /** `idNumberHash` of the holder's ID number, hex; the number itself is never stored. */
    id_hash: string;
    status: string;
    valid_from: string;
    valid_until: string;
    issued_at: string;
  };
  /** Issuing keys: the private key as a JWK (see docs/pass.md, Limits), the public key's SPKI. */
  pass_keys: {
    kid: string;
    spki: string;
    private_jwk: string;
    created_at: string;
    retired_at: string | null;
  };
};

export const migrations: Record<string, Migration> = {
  '2026-12-20-01-pass': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('pass_passes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('photo', 'text', (c) => c.notNull())
        .addColumn('id_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('pass_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('spki', 'text', (c) => c.notNull())
        .addColumn('private_jwk', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'text')
        .execute();
    },
  },
};

export type PassRow = Pass & { idHash: string };
export type KeyRow = {
  kid: string;
  spki: string;
  privateJwk: string;
  createdAt: string;
  retiredAt: string | null;
};

const toPass = (r: PassTables['pass_passes']): PassRow => ({
  id: r.id,
  holder: r.holder,
  photo: r.photo,
  idHash: r.id_hash,
  status: r.status as Pass['status'],
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  issuedAt: r.issued_at,
});

export class PassStore {
  private readonly db: Kysely<PassTables>;
  constructor(readonly executor: Executor) {
    this.db = executor.withTables<PassTables>();
  }

  on(executor: Executor): PassStore {
    return new PassStore(executor);
  }

  async insertPass(p: PassRow): Promise<void> {
    await this.db
      .insertInto('pass_passes')
      .values({
        id: p.id,
        holder: p.holder,
        photo: p.photo,
        id_hash: p.idHash,
        status: p.status,
        valid_from: p.validFrom,
        valid_until: p.validUntil,
        issued_at: p.issuedAt,
      })
      .execute();
  }

  async pass(id: string): Promise<PassRow | undefined> {
    const r = await this.db.selectFrom('pass_passes').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toPass(r);
  }

  async listPasses(limit: number): Promise<PassRow[]> {
    return (
      await this.db.selectFrom('pass_passes').selectAll().orderBy('issued_at', 'desc').limit(limit).execute()
    ).map(toPass);
  }

  async setStatus(id: string, status: Pass['status']): Promise<void> {
    await this.db.updateTable('pass_passes').set({ status }).where('id', '=', id).execute();
  }

  async keys(): Promise<KeyRow[]> {
    const rows = await this.db.selectFrom('pass_keys').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      kid: r.kid,
      spki: r.spki,
      privateJwk: r.private_jwk,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    }));
  }

  async insertKey(k: KeyRow): Promise<void> {
    await this.db
      .insertInto('pass_keys')
      .values({
        kid: k.kid,
        spki: k.spki,
        private_jwk: k.privateJwk,
        created_at: k.createdAt,
        retired_at: k.retiredAt,
      })
      .execute();
  }

  async retireKeys(before: string, at: string): Promise<void> {
    await this.db
      .updateTable('pass_keys')
      .set({ retired_at: at })
      .where('retired_at', 'is', null)
      .where('created_at', '<', before)
      .execute();
  }
}
