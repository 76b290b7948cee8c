/** The parties Tongcheng acts for, and the keys through which they act. */

import type { Name } from '../lib/name.ts';

export type { Name };

export const PARTY_KINDS = ['scheme', 'jurisdiction', 'operator', 'museum', 'agency'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export interface Party {
  id: string;
  kind: PartyKind;
  name: Name;
  /** The jurisdiction a party belongs to; the scheme itself belongs to none. */
  jurisdiction: string | null;
}

export const ROLES = ['admin', 'operator', 'museum', 'agency', 'public'] as const;
export type Role = (typeof ROLES)[number];

/** Which roles a key of a party of each kind may carry. `public` (read-only) fits every party. */
export const ROLES_BY_KIND: Record<PartyKind, readonly Role[]> = {
  scheme: ['admin', 'public'],
  jurisdiction: ['agency', 'public'],
  operator: ['operator', 'public'],
  museum: ['museum', 'public'],
  agency: ['agency', 'public'],
};

export interface ApiKey {
  id: string;
  party: string;
  role: Role;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** Who is asking: the party and role of the key presented with the request. */
export interface Principal {
  keyId: string;
  party: string;
  role: Role;
}

/** The operator at the machine: the CLI talks to the store directly and acts as the scheme's admin. */
export const LOCAL_ADMIN: Principal = { keyId: 'local', party: 'tongcheng', role: 'admin' };
export const SCHEME_PARTY_ID = 'tongcheng';
