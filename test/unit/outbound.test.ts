// The stream → outbound event mapping: one case per item type and change, including changes that publish nothing.
import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  eventsFromStreamRecord,
  OUTBOUND_SCHEMAS,
  OUTBOUND_SOURCE,
  streamChangeOf,
  toPutEventsEntry,
  type StreamChange,
} from '../../lib/events/outbound.js';
import type { ContactLinksItem, GroupItem, Membership, RelativeItem } from '../../lib/store/items.js';

const AT = '2026-03-01T10:00:00.000Z';
const UID = '10000000-0000-4000-8000-000000000001';
const P1 = '20000000-0000-4000-8000-000000000001';
const P2 = '20000000-0000-4000-8000-000000000002';

type Item = Record<string, unknown>;
const change = (oldImage: object | undefined, newImage: object | undefined): StreamChange => ({
  eventID: 'evt-1',
  occurredAt: AT,
  oldImage: oldImage as Item | undefined,
  newImage: newImage as Item | undefined,
});

const uidItem = (contactId?: number, extra: Item = {}) => ({
  pk: `CONTACTUID#${UID}`,
  sk: 'CONTACTUID',
  type: 'ContactUid',
  contactUid: UID,
  ...(contactId !== undefined && { contactId }),
  version: 1,
  ...extra,
});

const links = (participants: string[], assignees: number[], extra: Partial<ContactLinksItem> = {}): ContactLinksItem => ({
  pk: 'CONTACT#7',
  sk: 'LINKS',
  type: 'ContactLinks',
  contactId: 7,
  participants: Object.fromEntries(participants.map((p) => [p, AT])),
  assignees: Object.fromEntries(assignees.map((m) => [String(m), AT])),
  groups: {},
  version: 1,
  ...extra,
});

const m = (contactId: number, order: number, extra: Partial<Membership> = {}): Membership => ({
  contactId,
  membershipId: 100 + contactId,
  relationshipType: 'GroupMember',
  systemStatus: 'Active',
  order,
  ...extra,
});

const group = (contacts: Membership[], extra: Partial<GroupItem> = {}): GroupItem => ({
  pk: 'GROUP#5',
  sk: 'GROUP',
  type: 'Group',
  groupId: 5,
  groupName: 'Smith family',
  groupExternalId: 'ext-5',
  customAttributes: '{"a":1}',
  contacts,
  assignees: {},
  version: 1,
  accessVersion: 1,
  entityCount: 0,
  createdAt: AT,
  updatedAt: AT,
  ...extra,
});

const relative = (relationshipType: RelativeItem['relationshipType']): RelativeItem => ({
  pk: 'CONTACT#7',
  sk: 'RELATIVE#0000000008',
  type: 'Relative',
  contactId: 7,
  relativeContactId: 8,
  relationshipType,
  createdAt: AT,
});

const stateOf = (g: GroupItem) => ({
  groupId: g.groupId,
  groupName: g.groupName ?? null,
  groupExternalId: g.groupExternalId ?? null,
  customAttributes: g.customAttributes ?? null,
  contacts: g.contacts,
  version: g.version,
});

const meta = { occurredAt: AT, correlationId: 'evt-1' };

/** [name, change, expected events as [detailType, detail without occurredAt/correlationId]] */
const cases: [string, StreamChange, [string, Item][]][] = [
  // Contacts
  ['ContactUid insert with a contactId registers the contact', change(undefined, uidItem(7)), [['ContactRegistered', { contactId: 7, contactUid: UID }]]],
  ['ContactUid re-created after a tombstone registers the new id', change(uidItem(undefined, { deleted: true }), uidItem(9, { version: 3 })), [['ContactRegistered', { contactId: 9, contactUid: UID }]]],
  // A creation larger than one transaction writes a pending group first: it is created when it commits.
  ['a pending group publishes nothing', change(undefined, group([], { pending: true, version: 0 })), []],
  [
    'a pending group that commits is created, with its members',
    change(group([], { pending: true, version: 0 }), group([m(7, 1)])),
    [
      ['ContactGroupCreated', { groupId: 5, group: stateOf(group([m(7, 1)])) }],
      ['GroupMemberAdded', { groupId: 5, ...m(7, 1) }],
    ],
  ],
  ['ContactUid version bump of a known contact publishes nothing', change(uidItem(7), uidItem(7, { version: 2 })), []],
  ['ContactUid tombstone written for an unknown uid publishes nothing', change(undefined, uidItem(undefined, { deleted: true })), []],
  ['ContactUid turning into a tombstone publishes nothing itself', change(uidItem(7), uidItem(undefined, { deleted: true, version: 2 })), []],
  // Participants and assignments
  [
    'ContactLinks insert grants its participants and assigns its members',
    change(undefined, links([P1], [3])),
    [
      ['ParticipantAccessGranted', { contactId: 7, participantUid: P1 }],
      ['MemberAssigned', { contactId: 7, memberId: 3 }],
    ],
  ],
  [
    'ContactLinks diff of participants and assignees',
    change(links([P1], [3, 4]), links([P2], [4, 5], { version: 2 })),
    [
      ['ParticipantAccessGranted', { contactId: 7, participantUid: P2 }],
      ['ParticipantAccessRevoked', { contactId: 7, participantUid: P1 }],
      ['MemberAssigned', { contactId: 7, memberId: 5 }],
      ['MemberUnassigned', { contactId: 7, memberId: 3 }],
    ],
  ],
  [
    'ContactLinks removal (contact deleted) revokes and unassigns everything it held',
    change(links([P1, P2], [3]), undefined),
    [
      ['ParticipantAccessRevoked', { contactId: 7, participantUid: P1 }],
      ['ParticipantAccessRevoked', { contactId: 7, participantUid: P2 }],
      ['MemberUnassigned', { contactId: 7, memberId: 3 }],
    ],
  ],
  ['ContactLinks change of only groups/version publishes nothing', change(links([P1], [3]), links([P1], [3], { groups: { '5': 1 }, version: 2 })), []],
  // Groups
  [
    'Group insert creates the group and adds its members',
    change(undefined, group([m(7, 1)])),
    [
      ['ContactGroupCreated', { groupId: 5, group: stateOf(group([m(7, 1)])) }],
      ['GroupMemberAdded', { groupId: 5, ...m(7, 1) }],
    ],
  ],
  [
    'Group membership diff (renumbered survivor is a modification, not an add)',
    change(group([m(7, 1), m(8, 2)]), group([m(8, 1), m(9, 2, { relationshipType: 'FamilyPet', systemStatus: 'Inactive' })], { version: 2 })),
    [
      ['GroupMemberRemoved', { groupId: 5, ...m(7, 1) }],
      ['GroupMemberAdded', { groupId: 5, ...m(9, 2, { relationshipType: 'FamilyPet', systemStatus: 'Inactive' }) }],
      ['ContactGroupModified', { groupId: 5, group: stateOf(group([m(8, 1), m(9, 2, { relationshipType: 'FamilyPet', systemStatus: 'Inactive' })], { version: 2 })) }],
    ],
  ],
  [
    'Group rename is a modification with the new state',
    change(group([m(7, 1)]), group([m(7, 1)], { groupName: 'Jones family', version: 2 })),
    [['ContactGroupModified', { groupId: 5, group: stateOf(group([m(7, 1)], { groupName: 'Jones family', version: 2 })) }]],
  ],
  [
    'Group custom attributes cleared is a modification (absent → null)',
    change(group([]), group([], { customAttributes: undefined, version: 2 })),
    [['ContactGroupModified', { groupId: 5, group: { ...stateOf(group([])), customAttributes: null, version: 2 } }]],
  ],
  [
    'Group change of only assignees/accessVersion is internal',
    change(group([m(7, 1)]), group([m(7, 1)], { assignees: { '3': 1 }, accessVersion: 2 })),
    [],
  ],
  ['Group change of only entityCount is internal', change(group([m(7, 1)]), group([m(7, 1)], { entityCount: 1 })), []],
  [
    'Group removal removes its members and deletes it with its last state',
    change(group([m(7, 1)]), undefined),
    [
      ['GroupMemberRemoved', { groupId: 5, ...m(7, 1) }],
      ['ContactGroupDeleted', { groupId: 5, group: stateOf(group([m(7, 1)])) }],
    ],
  ],
  // Relatives
  ['Relative insert links', change(undefined, relative('Parent')), [['RelativeLinked', { contactId: 7, relativeContactId: 8, relationshipType: 'Parent' }]]],
  ['Relative type change links again with the new type', change(relative('Parent'), relative('Guardian')), [['RelativeLinked', { contactId: 7, relativeContactId: 8, relationshipType: 'Guardian' }]]],
  ['Relative rewrite with the same type publishes nothing', change(relative('Spouse'), relative('Spouse')), []],
  ['Relative removal unlinks', change(relative('Spouse'), undefined), [['RelativeUnlinked', { contactId: 7, relativeContactId: 8 }]]],
  // Everything else
  ['Member items publish nothing', change(undefined, { pk: 'MEMBER#3', sk: 'MEMBER', type: 'Member', memberId: 3, version: 1 }), []],
  ['Identity items publish nothing', change(undefined, { pk: 'IDENTITY#x', sk: 'IDENTITY', type: 'Identity', memberId: 3, descendants: {} }), []],
  ['Reverse assignment rows publish nothing', change(undefined, { pk: 'MEMBER#3', sk: 'ASSIGNED#0000000007', type: 'MemberAssignment', memberId: 3, contactId: 7 }), []],
  ['Group external id rows publish nothing', change({ pk: 'GROUPEXT#ext-5', sk: 'GROUPEXT', type: 'GroupExternalId', groupExternalId: 'ext-5', groupId: 5 }, undefined), []],
  ['Contact profiles publish nothing', change(undefined, { pk: 'CONTACT#7', sk: 'PROFILE', type: 'ContactProfile', contactId: 7, contactUid: UID }), []],
  ['Entity links publish nothing', change(undefined, { pk: 'ENTITY#Account#1', sk: 'ENTITY', type: 'Entity', entityId: 1, groupId: 5 }), []],
  ['Counters publish nothing', change(undefined, { pk: 'COUNTER#contact', sk: 'COUNTER', value: 3 }), []],
  ['Idempotency records (no type) publish nothing', change(undefined, { pk: 'idem#abc', sk: 'idem', status: 'COMPLETED', expiration: 1 }), []],
  ['An inherited property name as type publishes nothing', change(undefined, { pk: 'x', sk: 'y', type: 'constructor' }), []],
];

describe('eventsFromStreamRecord', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    const events = eventsFromStreamRecord(input);
    expect(events.map((e) => [e.detailType, e.detail])).toEqual(expected.map(([type, detail]) => [type, { ...detail, ...meta }]));
    // Every event honours its published contract.
    for (const e of events) expect(() => OUTBOUND_SCHEMAS[e.detailType].parse(e.detail)).not.toThrow();
  });

  it('takes the correlation id stamped on the new image', () => {
    const [event] = eventsFromStreamRecord(change(undefined, uidItem(7, { correlationId: 'corr-new' })));
    expect(event?.detail.correlationId).toBe('corr-new');
  });

  it('takes the correlation id of the old image on a removal', () => {
    const events = eventsFromStreamRecord(change(relative('Spouse'), undefined));
    expect(events[0]?.detail.correlationId).toBe('evt-1');
    const stamped = eventsFromStreamRecord(change({ ...relative('Spouse'), correlationId: 'corr-old' }, undefined));
    expect(stamped[0]?.detail.correlationId).toBe('corr-old');
  });

  it('prefers the new image over the old one for the correlation id of a modification', () => {
    const events = eventsFromStreamRecord(change({ ...relative('Parent'), correlationId: 'old' }, { ...relative('Child'), correlationId: 'new' }));
    expect(events[0]?.detail.correlationId).toBe('new');
  });

  it('never reuses the old image\'s correlation id for a modification that did not stamp one', () => {
    const events = eventsFromStreamRecord(change({ ...relative('Parent'), correlationId: 'old' }, relative('Child')));
    expect(events[0]?.detail.correlationId).toBe('evt-1');
  });
});

describe('streamChangeOf', () => {
  const images = { OldImage: marshall(links([], [])), NewImage: marshall(links([P1], [])) };

  it('unmarshalls a Lambda stream record (epoch seconds)', () => {
    const c = streamChangeOf({ eventID: 'e-9', dynamodb: { ApproximateCreationDateTime: 1_772_359_200, SequenceNumber: '1', ...images } });
    expect(c).toEqual({ eventID: 'e-9', occurredAt: '2026-03-01T10:00:00.000Z', oldImage: links([], []), newImage: links([P1], []) });
  });

  it('unmarshalls a DynamoDB Streams API record (Date) and maps it end to end', () => {
    const c = streamChangeOf({ eventID: 'e-10', dynamodb: { ApproximateCreationDateTime: new Date(AT), NewImage: images.NewImage } });
    expect(c.oldImage).toBeUndefined();
    expect(eventsFromStreamRecord(c)).toEqual([
      { detailType: 'ParticipantAccessGranted', detail: { contactId: 7, participantUid: P1, occurredAt: AT, correlationId: 'e-10' } },
    ]);
  });
});

describe('toPutEventsEntry', () => {
  it('builds the EventBridge entry: source, detail-type, JSON detail, bus, time', () => {
    const [event] = eventsFromStreamRecord(change(undefined, uidItem(7)));
    expect(toPutEventsEntry(event!, 'crs-bus')).toEqual({
      EventBusName: 'crs-bus',
      Source: OUTBOUND_SOURCE,
      DetailType: 'ContactRegistered',
      Detail: JSON.stringify({ contactId: 7, contactUid: UID, ...meta }),
      Time: new Date(AT),
    });
  });
});
