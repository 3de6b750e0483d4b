// Outbound change events (SPEC 6 "Outbound"): one zod contract per event and the one mapping from a table stream record.
import { isDeepStrictEqual } from 'node:util';
import * as z from '../schemas/zod.js';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { GROUP_RELATIONSHIP_TYPE_NAMES, RELATIVE_RELATIONSHIP_TYPE_NAMES, SYSTEM_STATUS_NAMES } from '../domain/catalogues.js';
import { id, version } from '../schemas/common.js';

export const OUTBOUND_SOURCE = 'contact-relationships';

const meta = {
  /** When the change was committed (the stream record's ApproximateCreationDateTime). */
  occurredAt: z.iso.datetime(),
  /** The writer's correlation id stamped on the item, else the stream record's eventID. */
  correlationId: z.string().check(z.minLength(1)),
};

const membership = z.object({
  contactId: id,
  membershipId: id,
  relationshipType: z.enum(GROUP_RELATIONSHIP_TYPE_NAMES),
  systemStatus: z.enum(SYSTEM_STATUS_NAMES),
  order: z.number().check(z.int(), z.gte(1)),
});

const groupState = z.object({
  groupId: id,
  groupName: z.nullable(z.string()),
  groupExternalId: z.nullable(z.string()),
  customAttributes: z.nullable(z.string()),
  contacts: z.array(membership),
  version,
});

const participantAccess = z.object({ contactId: id, participantUid: z.uuid(), ...meta });
const memberAssignment = z.object({ contactId: id, memberId: id, ...meta });
const groupLifecycle = z.object({ groupId: id, group: groupState, ...meta });
const groupMember = z.object({ groupId: id, ...membership.shape, ...meta });

export const OUTBOUND_SCHEMAS = {
  ContactRegistered: z.object({ contactId: id, contactUid: z.uuid(), ...meta }),
  ParticipantAccessGranted: participantAccess,
  ParticipantAccessRevoked: participantAccess,
  MemberAssigned: memberAssignment,
  MemberUnassigned: memberAssignment,
  ContactGroupCreated: groupLifecycle,
  ContactGroupModified: groupLifecycle,
  ContactGroupDeleted: groupLifecycle,
  GroupMemberAdded: groupMember,
  GroupMemberRemoved: groupMember,
  RelativeLinked: z.object({ contactId: id, relativeContactId: id, relationshipType: z.enum(RELATIVE_RELATIONSHIP_TYPE_NAMES), ...meta }),
  RelativeUnlinked: z.object({ contactId: id, relativeContactId: id, ...meta }),
} as const;

export type OutboundDetailType = keyof typeof OUTBOUND_SCHEMAS;
export type OutboundDetail<K extends OutboundDetailType = OutboundDetailType> = z.infer<(typeof OUTBOUND_SCHEMAS)[K]>;
export type OutboundEvent = { [K in OutboundDetailType]: { detailType: K; detail: OutboundDetail<K> } }[OutboundDetailType];
export type GroupState = z.infer<typeof groupState>;

/** A stream record with its images unmarshalled: what the mapping works on. */
export interface StreamChange {
  eventID: string;
  /** ISO time of the commit. */
  occurredAt: string;
  oldImage?: Item | undefined;
  newImage?: Item | undefined;
}

type Item = Record<string, unknown>;
type Draft = { [K in OutboundDetailType]: { detailType: K; detail: Omit<OutboundDetail<K>, keyof typeof meta> } }[OutboundDetailType];

/**
 * The outbound events one committed change causes. Derived from the images alone (not from eventName), so an item
 * that appears, changes or disappears is handled the same way whichever write produced it.
 */
export function eventsFromStreamRecord(change: StreamChange): OutboundEvent[] {
  const type = change.newImage?.type ?? change.oldImage?.type;
  const mapper = typeof type === 'string' && Object.hasOwn(MAPPERS, type) ? MAPPERS[type as keyof typeof MAPPERS] : undefined;
  if (!mapper) return [];
  const ofType = (image: Item | undefined) => (image?.type === type ? image : undefined);
  const drafts = mapper(ofType(change.oldImage), ofType(change.newImage));
  const stamped = (change.newImage ?? change.oldImage)?.correlationId;
  const correlationId = typeof stamped === 'string' && stamped.length > 0 ? stamped : change.eventID;
  return drafts.map((d) => ({ detailType: d.detailType, detail: { ...d.detail, occurredAt: change.occurredAt, correlationId } }) as OutboundEvent);
}

type Mapper = (oldImage: Item | undefined, newImage: Item | undefined) => Draft[];

/** Item type → its events. Item types not listed (members, identities, pictures, counters, reverse-index rows…) publish nothing. */
const MAPPERS = {
  ContactUid: contactUidEvents,
  ContactLinks: contactLinksEvents,
  Group: groupEvents,
  Relative: relativeEvents,
} satisfies Record<string, Mapper>;

function contactUidEvents(oldImage: Item | undefined, newImage: Item | undefined): Draft[] {
  const contactId = newImage?.contactId;
  // A tombstone has no contactId; re-creation after a deletion allocates a new one and registers it again.
  if (typeof contactId !== 'number' || oldImage?.contactId === contactId) return [];
  return [{ detailType: 'ContactRegistered', detail: { contactId, contactUid: String(newImage!.contactUid) } }];
}

function contactLinksEvents(oldImage: Item | undefined, newImage: Item | undefined): Draft[] {
  const contactId = Number((newImage ?? oldImage)?.contactId);
  const participants = diffKeys(oldImage?.participants, newImage?.participants);
  const assignees = diffKeys(oldImage?.assignees, newImage?.assignees);
  return [
    ...participants.added.map((participantUid): Draft => ({ detailType: 'ParticipantAccessGranted', detail: { contactId, participantUid } })),
    ...participants.removed.map((participantUid): Draft => ({ detailType: 'ParticipantAccessRevoked', detail: { contactId, participantUid } })),
    ...assignees.added.map((m): Draft => ({ detailType: 'MemberAssigned', detail: { contactId, memberId: Number(m) } })),
    ...assignees.removed.map((m): Draft => ({ detailType: 'MemberUnassigned', detail: { contactId, memberId: Number(m) } })),
  ];
}

function groupEvents(oldImage: Item | undefined, newImage: Item | undefined): Draft[] {
  // A pending group (a creation larger than one transaction, not committed yet) does not exist for anyone outside.
  const visible = (image: Item | undefined) => (image && image.pending !== true ? image : undefined);
  const before = visible(oldImage) && groupStateOf(oldImage!);
  const after = visible(newImage) && groupStateOf(newImage!);
  if (!before && !after) return [];
  const groupId = (after ?? before)!.groupId;
  const oldMembers = new Map((before?.contacts ?? []).map((m) => [m.contactId, m]));
  const newMembers = new Map((after?.contacts ?? []).map((m) => [m.contactId, m]));
  const removed = [...oldMembers.values()].filter((m) => !newMembers.has(m.contactId));
  const added = [...newMembers.values()].filter((m) => !oldMembers.has(m.contactId));
  const memberEvents: Draft[] = [
    ...removed.map((m): Draft => ({ detailType: 'GroupMemberRemoved', detail: { groupId, ...m } })),
    ...added.map((m): Draft => ({ detailType: 'GroupMemberAdded', detail: { groupId, ...m } })),
  ];
  if (!before && after) return [{ detailType: 'ContactGroupCreated', detail: { groupId, group: after } }, ...memberEvents];
  if (before && !after) return [...memberEvents, { detailType: 'ContactGroupDeleted', detail: { groupId, group: before } }];
  // assignees / accessVersion / entityCount / timestamps are internal: a change of only those is not published.
  if (isDeepStrictEqual(before, after)) return [];
  return [...memberEvents, { detailType: 'ContactGroupModified', detail: { groupId, group: after! } }];
}

function relativeEvents(oldImage: Item | undefined, newImage: Item | undefined): Draft[] {
  const item = (newImage ?? oldImage)!;
  const ids = { contactId: Number(item.contactId), relativeContactId: Number(item.relativeContactId) };
  if (!newImage) return [{ detailType: 'RelativeUnlinked', detail: ids }];
  const relationshipType = newImage.relationshipType as OutboundDetail<'RelativeLinked'>['relationshipType'];
  if (oldImage?.relationshipType === relationshipType) return [];
  return [{ detailType: 'RelativeLinked', detail: { ...ids, relationshipType } }];
}

/** The published state of a group: its own data, without the access-control bookkeeping. */
function groupStateOf(item: Item): GroupState {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const contacts = Array.isArray(item.contacts) ? (item.contacts as Item[]) : [];
  return {
    groupId: Number(item.groupId),
    groupName: text(item.groupName),
    groupExternalId: text(item.groupExternalId),
    customAttributes: text(item.customAttributes),
    contacts: contacts.map((m) => ({
      contactId: Number(m.contactId),
      membershipId: Number(m.membershipId),
      relationshipType: m.relationshipType as GroupState['contacts'][number]['relationshipType'],
      systemStatus: m.systemStatus as GroupState['contacts'][number]['systemStatus'],
      order: Number(m.order),
    })),
    version: Number(item.version),
  };
}

function diffKeys(before: unknown, after: unknown) {
  const keysOf = (m: unknown) => new Set(m && typeof m === 'object' ? Object.keys(m) : []);
  const old = keysOf(before);
  const now = keysOf(after);
  return { added: [...now].filter((k) => !old.has(k)), removed: [...old].filter((k) => !now.has(k)) };
}

/**
 * A raw stream record as Lambda delivers it (ApproximateCreationDateTime in epoch seconds) or as the DynamoDB
 * Streams API returns it (a Date): both carry the same marshalled images.
 */
export interface RawStreamRecord {
  eventID?: string | undefined;
  dynamodb?:
    | {
        ApproximateCreationDateTime?: Date | number | undefined;
        OldImage?: Record<string, unknown> | undefined;
        NewImage?: Record<string, unknown> | undefined;
        SequenceNumber?: string | undefined;
      }
    | undefined;
}

export function streamChangeOf(record: RawStreamRecord): StreamChange {
  const image = (raw: Record<string, unknown> | undefined) => (raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined);
  const at = record.dynamodb?.ApproximateCreationDateTime;
  const occurredAt = at instanceof Date ? at : typeof at === 'number' ? new Date(at * 1000) : new Date();
  return {
    eventID: record.eventID ?? record.dynamodb?.SequenceNumber ?? 'unknown',
    occurredAt: occurredAt.toISOString(),
    oldImage: image(record.dynamodb?.OldImage),
    newImage: image(record.dynamodb?.NewImage),
  };
}

/** The EventBridge PutEvents entry of an outbound event. */
export function toPutEventsEntry(event: OutboundEvent, eventBusName: string): PutEventsRequestEntry {
  return {
    EventBusName: eventBusName,
    Source: OUTBOUND_SOURCE,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
    Time: new Date(event.detail.occurredAt),
  };
}
