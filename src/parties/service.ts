import { createHash, randomBytes } from 'node:crypto';
import { isRole, type Principal, ROLES, requireRole } from '../lib/access.ts';
import { problem } from '../lib/errors.ts';
import { type Executor, inTransaction } from '../store/index.ts';
import { type ApiKey, type CreatedKey, type Party, ROLES_BY_KIND } from './model.ts';
import type { PartiesStore } from './store.ts';

/** Keys are random 256-bit secrets, so a plain SHA-256 is enough to store them safely. */
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => `tc_${randomBytes(32).toString('base64url')}`;
const newKeyId = () => `key_${randomBytes(6).toString('hex')}`;

export class PartiesService {
  /** `known`: the parties the region pack declares, which `seed` keeps the table in step with. */
  constructor(
    private readonly store: PartiesStore,
    private readonly known: readonly Party[] = [],
  ) {}

  /** The same service on another executor, to take part in another module's transaction. */
  on(executor: Executor): PartiesService {
    return new PartiesService(this.store.on(executor), this.known);
  }

  /** Writes the known parties: all of them, or none on failure. */
  seed(parties: readonly Party[] = this.known): Promise<void> {
    return inTransaction(this.store.executor, (tx) => this.store.on(tx).upsertParties(parties));
  }

  listParties(): Promise<Party[]> {
    return this.store.listParties();
  }

  async createKey(
    actor: Principal | null,
    input: { party: string; role: string; label?: string | null },
    now = new Date(),
  ): Promise<CreatedKey> {
    requireRole(actor, 'admin');
    const role = input.role;
    if (!isRole(role)) {
      throw problem('invalid-role', `role must be one of ${ROLES.join(', ')}; got "${role}"`, 'role');
    }
    const party = await this.store.getParty(input.party);
    if (!party) throw problem('unknown-party', `there is no party "${input.party}"`, 'party');
    if (!ROLES_BY_KIND[party.kind].includes(role)) {
      throw problem(
        'role-not-allowed',
        `a ${party.kind} party may hold keys with role ${ROLES_BY_KIND[party.kind].join(' or ')}, not ${role}`,
        'role',
      );
    }
    const secret = newSecret();
    const key: ApiKey = {
      id: newKeyId(),
      party: party.id,
      role,
      label: input.label ?? null,
      createdAt: now.toISOString(),
      revokedAt: null,
    };
    await this.store.insertKey(key, hashSecret(secret));
    return { key, secret };
  }

  async listKeys(actor: Principal | null): Promise<ApiKey[]> {
    requireRole(actor, 'admin');
    return this.store.listKeys();
  }

  /** Revoking is idempotent: revoking a revoked key returns it unchanged. */
  async revokeKey(actor: Principal | null, id: string, now = new Date()): Promise<ApiKey> {
    requireRole(actor, 'admin');
    const key = await this.store.getKey(id);
    if (!key) throw problem('unknown-key', `there is no key "${id}"`, 'id');
    if (key.revokedAt) return key;
    await this.store.revokeKey(id, now.toISOString());
    return { ...key, revokedAt: now.toISOString() };
  }

  /** The principal behind a presented secret, or null when it is unknown or revoked. */
  async authenticate(secret: string): Promise<Principal | null> {
    const key = await this.store.findKeyBySecretHash(hashSecret(secret));
    if (!key || key.revokedAt) return null;
    return { keyId: key.id, party: key.party, role: key.role };
  }

  /**
   * Makes sure the scheme can be administered. A configured admin secret is registered
   * (once); otherwise, when no admin key exists yet, one is created and its secret returned
   * so that the caller can print it, the only time it is ever shown.
   */
  async ensureAdminKey(configuredSecret: string | undefined, schemeParty: string): Promise<string | null> {
    if (configuredSecret) {
      if (!(await this.store.findKeyBySecretHash(hashSecret(configuredSecret)))) {
        const key: ApiKey = {
          id: newKeyId(),
          party: schemeParty,
          role: 'admin',
          label: 'TONGCHENG_ADMIN_KEY',
          createdAt: new Date().toISOString(),
          revokedAt: null,
        };
        await this.store.insertKey(key, hashSecret(configuredSecret));
      }
      return null;
    }
    if ((await this.store.countActiveKeys('admin')) > 0) return null;
    const { secret } = await this.createKey(
      { keyId: 'bootstrap', party: schemeParty, role: 'admin' },
      { party: schemeParty, role: 'admin', label: 'first start' },
    );
    return secret;
  }
}
