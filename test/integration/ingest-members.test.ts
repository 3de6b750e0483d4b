// Ingestion of the member hierarchy against DynamoDB Local: late parents, moves, cycles, depth, deletion.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.js';
import { ev, identityOf } from '../support/events.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { childIdsOf, getIdentity, getMember } from '../../lib/store/members.js';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});

const ingest = (raw: unknown) => ingestEvent(db, raw, 'fallback');
const ancestorsOf = async (memberId: number) => (await getMember(db, memberId))?.ancestors;
const childrenOf = async (memberId: number) => (await childIdsOf(db, memberId)).sort((a, b) => a - b);

describe('MemberUpserted', () => {
  it('links a child that arrived before its parent when the parent arrives', async () => {
    expect((await ingest(ev.memberUpserted({ memberId: 102, parentMemberId: 101, version: 1 }))).status).toBe('applied');
    expect((await ingest(ev.memberUpserted({ memberId: 103, parentMemberId: 102, version: 1 }))).status).toBe('applied');
    expect(await ancestorsOf(102)).toEqual([]);
    expect(await ancestorsOf(103)).toEqual([102]);
    expect(await childrenOf(101)).toEqual([102]);
    expect((await ingest(ev.memberUpserted({ memberId: 101, version: 1 }))).status).toBe('applied');
    expect(await ancestorsOf(102)).toEqual([101]);
    expect(await ancestorsOf(103)).toEqual([102, 101]);
    expect((await getMember(db, 103))?.reorg).toBeUndefined();
  });

  it('moves a subtree: old ancestors lose it, new ancestors gain it', async () => {
    await ingest(ev.memberUpserted({ memberId: 201, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 202, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 203, parentMemberId: 201, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 204, parentMemberId: 203, version: 1 }));
    expect(await ancestorsOf(204)).toEqual([203, 201]);
    expect((await ingest(ev.memberUpserted({ memberId: 203, parentMemberId: 202, version: 2 }))).status).toBe('applied');
    expect(await ancestorsOf(203)).toEqual([202]);
    expect(await ancestorsOf(204)).toEqual([203, 202]);
    expect(await childrenOf(202)).toEqual([203]);
    expect(await childrenOf(201)).toEqual([]);
    expect((await getMember(db, 204))?.reorg).toBeUndefined();
  });

  it('rejects a cycle and changes nothing', async () => {
    await ingest(ev.memberUpserted({ memberId: 301, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 302, parentMemberId: 301, version: 1 }));
    const before = await getMember(db, 301);
    const result = await ingest(ev.memberUpserted({ memberId: 301, parentMemberId: 302, version: 2 }));
    expect(result.status).toBe('rejected');
    expect(result.reason).toMatch(/cycle/);
    expect(await getMember(db, 301)).toEqual(before);
    expect(await ancestorsOf(302)).toEqual([301]);
    expect((await getMember(db, 302))?.reorg).toBeUndefined();
  });

  it('rejects an 11th level', async () => {
    for (let i = 1; i <= 10; i++) {
      const r = await ingest(ev.memberUpserted({ memberId: 400 + i, ...(i > 1 && { parentMemberId: 400 + i - 1 }), version: 1 }));
      expect(r.status).toBe('applied');
    }
    const r = await ingest(ev.memberUpserted({ memberId: 411, parentMemberId: 410, version: 1 }));
    expect(r.status).toBe('rejected');
    expect(r.reason).toMatch(/depth/);
    expect(await getMember(db, 411)).toBeUndefined();
    expect(await ancestorsOf(410)).toHaveLength(9);
    expect(await childrenOf(410)).toEqual([]);
  });

  it('ignores stale and repeated versions', async () => {
    await ingest(ev.memberUpserted({ memberId: 501, version: 5, firstName: 'Five' }));
    expect((await ingest(ev.memberUpserted({ memberId: 501, version: 5, firstName: 'Again' }))).status).toBe('ignored');
    expect((await ingest(ev.memberUpserted({ memberId: 501, version: 4, firstName: 'Old' }))).status).toBe('ignored');
    expect((await getMember(db, 501))?.firstName).toBe('Five');
  });
});

describe('MemberDeleted', () => {
  it('moves the children up to the deleted member\'s parent', async () => {
    await ingest(ev.memberUpserted({ memberId: 601, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 602, parentMemberId: 601, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 603, parentMemberId: 602, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 604, parentMemberId: 603, version: 1 }));
    expect((await ingest(ev.memberDeleted(602, 2))).status).toBe('applied');
    expect(await ancestorsOf(603)).toEqual([601]);
    expect(await ancestorsOf(604)).toEqual([603, 601]);
    expect(await getIdentity(db, identityOf(602))).toBeUndefined();
    expect((await getMember(db, 602))?.deleted).toBe(true);
    expect((await getMember(db, 602))?.reorg).toBeUndefined();
    expect(await childrenOf(601)).toEqual([603]);
    expect(await childrenOf(602)).toEqual([]);
    expect((await getMember(db, 603))?.parentMemberId).toBe(601);
    // A child that later moves away from the deleted parent leaves the grandparent's children.
    await ingest(ev.memberUpserted({ memberId: 603, parentMemberId: 605, version: 2 }));
    expect(await childrenOf(601)).toEqual([]);
    expect(await childrenOf(605)).toEqual([603]);
    expect(await ancestorsOf(604)).toEqual([603]);
  });

  it('an update naming the deleted parent the child was moved up from keeps it where it is (found by the oracle)', async () => {
    await ingest(ev.memberUpserted({ memberId: 621, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 622, parentMemberId: 621, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 623, parentMemberId: 622, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 624, parentMemberId: 623, version: 1 }));
    expect((await ingest(ev.memberDeleted(622, 2))).status).toBe('applied');
    // Upstream still names 622 (it passes through the tombstone to 621): the child row under 621 is the same one.
    expect((await ingest(ev.memberUpserted({ memberId: 623, parentMemberId: 622, isActive: false, version: 2 }))).status).toBe('applied');
    expect(await ancestorsOf(623)).toEqual([621]);
    expect(await ancestorsOf(624)).toEqual([623, 621]);
    expect(await childrenOf(621)).toEqual([623]);
    expect((await getMember(db, 623))?.parentMemberId).toBe(622);
    expect((await getIdentity(db, identityOf(623)))?.isActive).toBe(false);
  });

  it('re-creates a deleted member without its former children, until upstream moves them back', async () => {
    await ingest(ev.memberUpserted({ memberId: 701, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 702, parentMemberId: 701, version: 1 }));
    await ingest(ev.memberUpserted({ memberId: 703, parentMemberId: 702, version: 1 }));
    await ingest(ev.memberDeleted(702, 2));
    expect((await ingest(ev.memberUpserted({ memberId: 702, parentMemberId: 701, version: 3 }))).status).toBe('applied');
    expect(await childrenOf(701)).toEqual([702, 703]);
    expect(await childrenOf(702)).toEqual([]);
    expect(await ancestorsOf(703)).toEqual([701]);
    // 703's own item names 701: an event that keeps that parent changes nothing, one naming 702 moves it back.
    await ingest(ev.memberUpserted({ memberId: 703, parentMemberId: 701, version: 2 }));
    expect(await childrenOf(701)).toEqual([702, 703]);
    await ingest(ev.memberUpserted({ memberId: 703, parentMemberId: 702, version: 3 }));
    expect(await childrenOf(701)).toEqual([702]);
    expect(await childrenOf(702)).toEqual([703]);
    expect(await ancestorsOf(703)).toEqual([702, 701]);
  });
});
