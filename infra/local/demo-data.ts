// The demo data set loaded into an empty local table: participants, 24 contacts, a 3-level member hierarchy with
// pictures for some members and entity links — as inbound events through the ingest handler — plus assignments,
// three households and a few relatives made through the library, as the API would make them.
import { avatarPng } from './png.js';

export const DEMO_PARTICIPANTS = {
  alpineWealth: '7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a01',
  lakesideRealty: '7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a02',
  northbankPrivate: '7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a03',
} as const;

/** Deterministic ids, so tokens and curls in the README keep working across restarts. */
export const demoIdentityOf = (memberId: number) => `4d2c1b0a-0000-4000-8000-${String(memberId).padStart(12, '0')}`;
export const demoContactUidOf = (n: number) => `c0a7c7e0-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface DemoMember {
  memberId: number;
  firstName: string;
  lastName: string;
  jobTitle: string;
  parentMemberId?: number;
  participantUid: string;
  picture?: [number, number, number];
}

/** Level 1: the head; level 2: two team leads; level 3: four advisors. */
export const DEMO_MEMBERS: DemoMember[] = [
  { memberId: 1, firstName: 'Helena', lastName: 'Brunner', jobTitle: 'Head of Advisory', participantUid: DEMO_PARTICIPANTS.alpineWealth, picture: [214, 226, 240] },
  { memberId: 2, firstName: 'Marco', lastName: 'Keller', jobTitle: 'Team Lead Private Clients', parentMemberId: 1, participantUid: DEMO_PARTICIPANTS.alpineWealth, picture: [226, 240, 214] },
  { memberId: 3, firstName: 'Sophie', lastName: 'Dubois', jobTitle: 'Team Lead Real Estate', parentMemberId: 1, participantUid: DEMO_PARTICIPANTS.lakesideRealty },
  { memberId: 4, firstName: 'Luca', lastName: 'Rossi', jobTitle: 'Client Advisor', parentMemberId: 2, participantUid: DEMO_PARTICIPANTS.alpineWealth, picture: [240, 226, 214] },
  { memberId: 5, firstName: 'Anna', lastName: 'Meier', jobTitle: 'Client Advisor', parentMemberId: 2, participantUid: DEMO_PARTICIPANTS.alpineWealth },
  { memberId: 6, firstName: 'Jonas', lastName: 'Weber', jobTitle: 'Property Advisor', parentMemberId: 3, participantUid: DEMO_PARTICIPANTS.lakesideRealty, picture: [232, 214, 240] },
  { memberId: 7, firstName: 'Chiara', lastName: 'Bianchi', jobTitle: 'Property Advisor', parentMemberId: 3, participantUid: DEMO_PARTICIPANTS.lakesideRealty },
];

const FIRST = ['Lea', 'Noah', 'Mia', 'Elias', 'Emma', 'Leon', 'Lina', 'Finn', 'Sara', 'Paul', 'Laura', 'Tim', 'Julia', 'Ben', 'Nora', 'David', 'Alina', 'Nico', 'Elena', 'Samuel', 'Zoe', 'Jan', 'Clara', 'Luis'];
const LAST = ['Muster', 'Muster', 'Huber', 'Huber', 'Schmid', 'Fischer', 'Fischer', 'Gerber', 'Baumann', 'Frei', 'Zimmermann', 'Moser', 'Graf', 'Wyss', 'Roth', 'Kunz', 'Lang', 'Suter', 'Marti', 'Vogel', 'Steiner', 'Berger', 'Koch', 'Widmer'];

export interface DemoContact {
  n: number;
  contactUid: string;
  firstName: string;
  lastName: string;
  participantUids: string[];
  /** Members directly assigned (made through the library after ingestion). */
  advisors: number[];
}

export const DEMO_CONTACTS: DemoContact[] = FIRST.map((firstName, i) => {
  const n = i + 1;
  const realEstate = n % 3 === 0;
  return {
    n,
    contactUid: demoContactUidOf(n),
    firstName,
    lastName: LAST[i]!,
    participantUids: realEstate ? [DEMO_PARTICIPANTS.lakesideRealty] : n % 5 === 0 ? [DEMO_PARTICIPANTS.alpineWealth, DEMO_PARTICIPANTS.northbankPrivate] : [DEMO_PARTICIPANTS.alpineWealth],
    advisors: realEstate ? [n % 2 === 0 ? 6 : 7] : [n % 2 === 0 ? 4 : 5],
  };
});

/** Households (contact groups) by external id, and the entities linked to them. */
export const DEMO_GROUPS = [
  {
    groupExternalId: 'HH-MUSTER',
    groupName: 'Muster household',
    contacts: [
      { n: 1, relationshipType: 'PrimaryGroupMember' },
      { n: 2, relationshipType: 'GroupMember' },
    ],
    entities: [
      { entityType: 'Account', entityId: 1001 },
      { entityType: 'Portfolio', entityId: 2001 },
    ],
  },
  {
    groupExternalId: 'HH-HUBER',
    groupName: 'Huber household',
    contacts: [
      { n: 3, relationshipType: 'PrimaryGroupMember' },
      { n: 4, relationshipType: 'FamilyDependant' },
    ],
    entities: [{ entityType: 'Account', entityId: 1002 }],
  },
  {
    groupExternalId: 'HH-FISCHER',
    groupName: 'Fischer household',
    contacts: [
      { n: 6, relationshipType: 'PrimaryGroupMember' },
      { n: 7, relationshipType: 'GroupMember' },
    ],
    entities: [{ entityType: 'LegalEntity', entityId: 3001 }],
  },
] as const;

/** Relatives (the reciprocal side is written with each): what the first contact is to the second is `relationshipType`. */
export const DEMO_RELATIVES = [
  { n: 1, relativeN: 2, relationshipType: 'Spouse' },
  { n: 3, relativeN: 4, relationshipType: 'Parent' },
  { n: 6, relativeN: 7, relationshipType: 'Sibling' },
] as const;

export function demoEntityEvents(groupIdOf: (externalId: string) => number): unknown[] {
  return DEMO_GROUPS.flatMap((g) =>
    g.entities.map((e) =>
      envelope(`demo-entity-${e.entityType}-${e.entityId}`, 'EntityLinked', { ...e, contactGroupId: groupIdOf(g.groupExternalId), version: 1 }),
    ),
  );
}

const envelope = (id: string, detailType: string, detail: Record<string, unknown>) => ({
  id,
  source: 'demo',
  'detail-type': detailType,
  time: '2026-01-01T00:00:00.000Z',
  detail,
});

/** The demo as inbound events (order chosen so a child comes before its parent once: late parents are linked). */
export function demoEvents(): unknown[] {
  const members = [...DEMO_MEMBERS].sort((a, b) => (a.memberId === 4 ? -1 : b.memberId === 4 ? 1 : a.memberId - b.memberId));
  return [
    ...DEMO_CONTACTS.map((c) =>
      envelope(`demo-contact-${c.n}`, 'ContactUpserted', {
        contactUid: c.contactUid,
        firstName: c.firstName,
        lastName: c.lastName,
        email: `${c.firstName}.${c.lastName}@example.com`.toLowerCase(),
        participantUids: c.participantUids,
        isActive: true,
        version: 1,
      }),
    ),
    ...members.map((m) =>
      envelope(`demo-member-${m.memberId}`, 'MemberUpserted', {
        memberId: m.memberId,
        identityId: demoIdentityOf(m.memberId),
        participantUid: m.participantUid,
        ...(m.parentMemberId && { parentMemberId: m.parentMemberId }),
        firstName: m.firstName,
        lastName: m.lastName,
        email: `${m.firstName}.${m.lastName}@advisors.example.com`.toLowerCase(),
        phone: `+41 44 555 01 ${String(m.memberId).padStart(2, '0')}`,
        jobTitle: m.jobTitle,
        isActive: true,
        version: 1,
      }),
    ),
    ...DEMO_MEMBERS.filter((m) => m.picture).map((m) =>
      envelope(`demo-picture-${m.memberId}`, 'MemberPictureUpdated', {
        memberId: m.memberId,
        imageContentBase64: avatarPng(m.picture!, [90, 100, 120]).toString('base64'),
        version: 1,
      }),
    ),
  ];
}
