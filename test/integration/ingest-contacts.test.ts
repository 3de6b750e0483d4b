// Ingestion of contacts, pictures and entity links against DynamoDB Local: id allocation, versions, cascades.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.js';
import { ev, uidOf } from '../support/events.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { getLinks, getProfile, getUidAlias } from '../../lib/store/contacts.js';
import { getGroup } from '../../lib/store/groups.js';
import { getItem, queryPrefix } from '../../lib/store/reads.js';
import { keys } from '../../lib/store/keys.js';
import { getMember } from '../../lib/store/members.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { createGroup } from '../../lib/use-cases/groups.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import type { MemberPictureItem } from '../../lib/store/items.js';
import { avatarPng } from '../../infra/local/png.js';

let db: TestDb;
const ingest = (raw: unknown) => ingestEvent(db, raw, 'fallback');
const P1 = '7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a01';
const P2 = '7a1f3c2e-5b6d-4e8f-9a0b-1c2d3e4f5a02';
const now = '2026-01-01T00:00:00.000Z';
const admin = () => new AccessGuard(db, { dataSegregation: false }, { type: 'application', subject: 'a', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) });

beforeAll(async () => {
  db = await createTestDb();
});

describe('ContactUpserted', () => {
  it('allocates a contactId on first sight and reuses it afterwards', async () => {
    const first = await ingest(ev.contactUpserted({ contactUid: uidOf(1), firstName: 'Lea', lastName: 'Muster', participantUids: [P1], version: 1 }));
    expect(first).toMatchObject({ status: 'applied', contactId: expect.any(Number) });
    const second = await ingest(ev.contactUpserted({ contactUid: uidOf(1), email: 'lea@example.com', participantUids: [P2], version: 2 }));
    expect(second.contactId).toBe(first.contactId);
    const profile = await getProfile(db, first.contactId!);
    // absent fields keep their value; participant associations accumulate
    expect(profile).toMatchObject({ firstName: 'Lea', lastName: 'Muster', email: 'lea@example.com', version: 2, contactUid: uidOf(1) });
    expect(Object.keys((await getLinks(db, first.contactId!))!.participants).sort()).toEqual([P1, P2]);
  });

  it('gives distinct ids to distinct uids, also when they arrive concurrently', async () => {
    const results = await Promise.all([2, 3, 4, 5].map((n) => ingest(ev.contactUpserted({ contactUid: uidOf(n), version: 1 }))));
    expect(new Set(results.map((r) => r.contactId)).size).toBe(4);
    const same = await Promise.all([1, 2, 3].map(() => ingest(ev.contactUpserted({ contactUid: uidOf(6), version: 1 }))));
    expect(new Set(same.filter((r) => r.status === 'applied').map((r) => r.contactId)).size).toBe(1);
    expect(same.filter((r) => r.status === 'applied')).toHaveLength(1);
  });

  it('ignores stale and repeated versions', async () => {
    await ingest(ev.contactUpserted({ contactUid: uidOf(7), firstName: 'New', version: 5 }));
    expect((await ingest(ev.contactUpserted({ contactUid: uidOf(7), firstName: 'Old', version: 4 }))).status).toBe('ignored');
    expect((await ingest(ev.contactUpserted({ contactUid: uidOf(7), firstName: 'Same', version: 5 }))).status).toBe('ignored');
    const alias = await getUidAlias(db, uidOf(7));
    expect((await getProfile(db, alias!.contactId!))?.firstName).toBe('New');
  });

  it('rejects a malformed event with a reason and writes nothing', async () => {
    const result = await ingest(ev.contactUpserted({ contactUid: 'not-a-uuid', version: 1 }));
    expect(result).toMatchObject({ status: 'rejected', reason: expect.stringContaining('contactUid') });
    expect((await ingest({ 'detail-type': 'Nope', detail: {} })).reason).toMatch(/unknown detail-type/);
  });
});

describe('ContactDeleted', () => {
  it('removes the contact and every link of it; an older upsert afterwards is ignored', async () => {
    await ingest(ev.memberUpserted({ memberId: 31, version: 1 }));
    const a = (await ingest(ev.contactUpserted({ contactUid: uidOf(31), version: 1 }))).contactId!;
    const b = (await ingest(ev.contactUpserted({ contactUid: uidOf(32), version: 1 }))).contactId!;
    await changeAssignments(db, a, () => [31], now);
    await changeAssignments(db, b, () => [31], now);
    const groupId = await createGroup(db, admin(), { contactId: a, group: { groupName: 'Pair', groupExternalId: 'PAIR-31', contacts: [{ contactId: b }] }, now });
    const lonely = await createGroup(db, admin(), { contactId: a, group: { groupName: 'Alone', groupExternalId: 'ALONE-31' }, now });

    expect((await ingest(ev.contactDeleted(uidOf(31), 2))).status).toBe('applied');
    expect(await getProfile(db, a)).toBeUndefined();
    expect(await getLinks(db, a)).toBeUndefined();
    expect(await getUidAlias(db, uidOf(31))).toMatchObject({ deleted: true, version: 2 });
    const group = await getGroup(db, groupId);
    expect(group?.contacts.map((m) => [m.contactId, m.order])).toEqual([[b, 1]]);
    expect(group?.assignees).toEqual({ '31': 1 });
    expect(await getGroup(db, lonely)).toBeUndefined(); // left empty, no linked entities → deleted
    expect(await getItem(db, keys.groupExternalId('ALONE-31'))).toBeUndefined();
    expect(await queryPrefix(db, 'MEMBER#31', keys.memberAssignmentPrefix)).toEqual([expect.objectContaining({ contactId: b })]);

    expect((await ingest(ev.contactUpserted({ contactUid: uidOf(31), version: 1 }))).status).toBe('ignored');
    // a newer upsert re-creates the contact under a new id
    const again = await ingest(ev.contactUpserted({ contactUid: uidOf(31), version: 3 }));
    expect(again.contactId).not.toBe(a);
  });

  it('keeps a group that still has linked entities when its last contact goes', async () => {
    const c = (await ingest(ev.contactUpserted({ contactUid: uidOf(33), version: 1 }))).contactId!;
    const groupId = await createGroup(db, admin(), { contactId: c, group: { groupName: 'Linked' }, now });
    await ingest(ev.entityLinked('Account', 3301, groupId, 1));
    await ingest(ev.contactDeleted(uidOf(33), 2));
    expect(await getGroup(db, groupId)).toMatchObject({ contacts: [], entityCount: 1 });
  });
});

describe('MemberPictureUpdated', () => {
  it('stores a valid picture, ignores stale versions, removes it on null', async () => {
    await ingest(ev.memberUpserted({ memberId: 41, version: 1 }));
    const png = avatarPng([10, 20, 30], [200, 200, 200]).toString('base64');
    expect((await ingest(ev.memberPictureUpdated(41, png, 2))).status).toBe('applied');
    const stored = await getItem<MemberPictureItem>(db, keys.memberPicture(41));
    expect(Buffer.from(stored!.image!).toString('base64')).toBe(png);
    expect(stored?.contentType).toBe('image/png');
    expect((await getMember(db, 41))?.hasPicture).toBe(true);
    expect((await ingest(ev.memberPictureUpdated(41, null, 1))).status).toBe('ignored');
    expect((await ingest(ev.memberPictureUpdated(41, null, 3))).status).toBe('applied');
    expect((await getMember(db, 41))?.hasPicture).toBe(false);
  });

  it.each([
    ['a GIF', Buffer.from('GIF89a-------').toString('base64'), /not PNG/],
    ['more than 150 KB', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(150 * 1024)]).toString('base64'), /max/],
  ])('rejects %s and changes nothing', async (_, image, reason) => {
    await ingest(ev.memberUpserted({ memberId: 42, version: 1 }));
    const result = await ingest(ev.memberPictureUpdated(42, image, 5));
    expect(result.status).toBe('rejected');
    expect(result.reason).toMatch(reason);
    expect(await getItem(db, keys.memberPicture(42))).toBeUndefined();
  });

  it('rejects a picture of an unknown member', async () => {
    expect((await ingest(ev.memberPictureUpdated(4999, null, 1))).status).toBe('rejected');
  });
});

describe('EntityLinked / EntityUnlinked', () => {
  it('links, moves and unlinks, keeping the groups\' entity counts', async () => {
    const c = (await ingest(ev.contactUpserted({ contactUid: uidOf(51), version: 1 }))).contactId!;
    const g1 = await createGroup(db, admin(), { contactId: c, group: { groupName: 'G1' }, now });
    const g2 = await createGroup(db, admin(), { contactId: c, group: { groupName: 'G2' }, now });
    expect((await ingest(ev.entityLinked('Portfolio', 77, g1, 1))).status).toBe('applied');
    expect((await ingest(ev.entityLinked('Portfolio', 77, g2, 2))).status).toBe('applied');
    expect([(await getGroup(db, g1))?.entityCount, (await getGroup(db, g2))?.entityCount]).toEqual([0, 1]);
    expect((await ingest(ev.entityLinked('Portfolio', 77, g1, 2))).status).toBe('ignored');
    expect((await ingest(ev.entityUnlinked('Portfolio', 77, 3))).status).toBe('applied');
    expect((await getGroup(db, g2))?.entityCount).toBe(0);
    expect((await ingest(ev.entityLinked('Portfolio', 77, g1, 2))).status).toBe('ignored'); // older than the unlink
  });

  it('rejects a link to an unknown group', async () => {
    expect(await ingest(ev.entityLinked('Account', 1, 999999, 1))).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/unknown contact group/) });
  });
});

describe('MemberDeleted', () => {
  it('removes the member\'s assignments and its groups\' counts', async () => {
    await ingest(ev.memberUpserted({ memberId: 61, version: 1 }));
    const c = (await ingest(ev.contactUpserted({ contactUid: uidOf(61), version: 1 }))).contactId!;
    await changeAssignments(db, c, () => [61], now);
    const groupId = await createGroup(db, admin(), { contactId: c, group: { groupName: 'M' }, now });
    expect((await getGroup(db, groupId))?.assignees).toEqual({ '61': 1 });
    expect((await ingest(ev.memberDeleted(61, 2))).status).toBe('applied');
    expect((await getLinks(db, c))?.assignees).toEqual({});
    expect((await getGroup(db, groupId))?.assignees).toEqual({});
    expect(await queryPrefix(db, 'MEMBER#61', keys.memberAssignmentPrefix)).toEqual([]);
    expect(await getMember(db, 61)).toMatchObject({ deleted: true, cleanupDone: true });
    expect((await ingest(ev.memberUpserted({ memberId: 61, version: 1 }))).status).toBe('ignored');
  });
});
