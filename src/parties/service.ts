import { createHash, randomBytes } from 'node:crypto';
import { isRole, type Principal, ROLES, requireRole } from '../lib/access.ts';
import { ConfigError } from '../lib/config.ts';
import { problem } from '../lib/errors.ts';
import { type Executor, inTransaction } from '../store/index.ts';
import { type ApiKey, type CreatedKey, type Party, ROLES_BY_KIND } from './model.ts';
import type { PartiesStore } from './store.ts';

/** Keys are random 256-bit secrets, so a plain SHA-256 is enough to store them safely. */
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => `tc_${randomBytes(32).toString('base64url')}`;
const newKeyId = () => `key_${randomBytes(6).toString('hex')}`;

/**
 * The label of the key TONGCHENG_ADMIN_KEY registers, and only of it: when the setting changes,
 * the keys with this label and another secret are revoked. No one else may use it.
 */
export const CONFIGURED_KEY_LABEL = 'TONGCHENG_ADMIN_KEY';

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
    if (input.label === CONFIGURED_KEY_LABEL) {
      throw problem(
        'invalid-input',
        `label: "${CONFIGURED_KEY_LABEL}" marks the key that setting configures; choose another label`,
        'label',
      );
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
   * Makes sure the scheme can be administered. A configured admin secret is registered (once),
   * and the configured key it replaced, if the setting changed, is revoked: a secret taken out
   * of the configuration stops working. A configured secret whose key was revoked is refused,
   * so that a revocation holds. Without one, when no admin key exists yet, one is created and
   * its secret returned so that the caller can hand it over, the only time it is ever shown.
   */
  async ensureAdminKey(
    configuredSecret: string | undefined,
    schemeParty: string,
    now = new Date(),
  ): Promise<string | null> {
    if (configuredSecret) {
      const hash = hashSecret(configuredSecret);
      await inTransaction(this.store.executor, async (tx) => {
        const store = this.store.on(tx);
        let current = await store.findKeyBySecretHash(hash);
        if (current?.revokedAt) {
          throw new ConfigError(
            `TONGCHENG_ADMIN_KEY is the secret of ${current.id}, revoked at ${current.revokedAt}; choose a new secret`,
          );
        }
        if (!current) {
          current = {
            id: newKeyId(),
            party: schemeParty,
            role: 'admin',
            label: CONFIGURED_KEY_LABEL,
            createdAt: now.toISOString(),
            revokedAt: null,
          };
          await store.insertKey(current, hash);
        }
        for (const key of await store.listKeys()) {
          if (key.label === CONFIGURED_KEY_LABEL && !key.revokedAt && key.id !== current.id) {
            await store.revokeKey(key.id, now.toISOString());
          }
        }
      });
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
