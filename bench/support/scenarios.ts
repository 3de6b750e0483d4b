// The endpoints `npm run bench` drives through the local gateway, on the demo data set (infra/local/demo-data.ts).
import type { TokenClaims } from '../../infra/local/jwt.js';
import { demoIdentityOf } from '../../infra/local/demo-data.js';

export interface Scenario {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly caller: TokenClaims;
  readonly body?: unknown;
}

const admin: TokenClaims = { sub: 'bench-admin', caller_type: 'application', scope: 'crs.read crs.write crs.admin' };
const member = (id: number): TokenClaims => ({ sub: demoIdentityOf(id), caller_type: 'member', member_id: id, scope: 'crs.read crs.write' });
const identity = (id: number) => demoIdentityOf(id);

export const SCENARIOS: readonly Scenario[] = [
  { name: 'check contact→group', method: 'GET', path: '/v1.0/contact-groups/1/contacts/1/access', caller: admin },
  { name: 'check identity→group', method: 'GET', path: `/v1.0/contact-groups/1/identities/${identity(1)}/access`, caller: admin },
  { name: 'check contact→entity', method: 'GET', path: '/v1.0/contact-groups/contacts/1/Account/1001/access', caller: admin },
  { name: 'check identity→entity', method: 'GET', path: `/v1.0/contact-groups/identities/${identity(2)}/Account/1001/access`, caller: admin },
  { name: 'check identity→group, explain', method: 'GET', path: `/v1.0/contact-groups/1/identities/${identity(1)}/access?explain=true`, caller: admin },
  { name: 'GET group', method: 'GET', path: '/v1.0/contactgroups/1', caller: member(5) },
  { name: 'batch of 100 checks', method: 'POST', path: '/v1.0/contact-groups/access/batch', caller: admin,
    body: { checks: Array.from({ length: 100 }, (_, i) => (i % 2 ? { identityId: identity((i % 7) + 1), entityType: 'Account', entityId: 1001 } : { contactId: (i % 24) + 1, contactGroupId: (i % 3) + 1 })) } },
  { name: 'relationship-types (no DynamoDB)', method: 'GET', path: '/v1.0/relationship-types', caller: admin },
  { name: 'member-profiles (member 1, 2 levels up)', method: 'GET', path: '/v1.0/contacts/1/member-profiles', caller: member(1) },
  { name: 'profile-picture', method: 'GET', path: '/v1.0/contacts/2/member/4/profile-picture', caller: member(2) },
  { name: 'member-access search (24 uids)', method: 'POST', path: '/v1.0/contacts/member-access/search', caller: admin,
    body: { contactUids: Array.from({ length: 24 }, (_, i) => `c0a7c7e0-0000-4000-8000-${String(i + 1).padStart(12, '0')}`) } },
  { name: 'GET groups of a contact', method: 'GET', path: '/v2.0/contacts/1/contactgroups', caller: member(5) },
  { name: 'search groups by name', method: 'POST', path: '/v1.0/contact-groups/search', caller: admin, body: { name: 'h' } },
  { name: 'relatives', method: 'GET', path: '/v1.1/contacts/1/relatives', caller: member(5) },
  { name: 'PUT members (same set: read only)', method: 'PUT', path: '/v1.0/contacts/1/members', caller: admin, body: { memberIds: [5] } },
];
