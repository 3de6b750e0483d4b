// Upgrade in place: a table written by release 0.1.0 (test/fixtures/release-0.1.0) is migrated, and this release
// gives exactly the answers that release gave; nothing is lost, a second run changes nothing, and the new write
// paths work on the migrated data.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createTestDb, type TestDb } from '../support/db.js';
import { createSdkClient } from '../../lib/store/sdk-client.js';
import { ev } from '../support/events.js';
import { snapshot } from '../support/snapshot.js';
import { migrateToRelease02, scanAll } from '../../lib/store/migrations/release-0.2.js';
import { checkAccessBatch, INTERNAL_INVOKER, type AccessCheckInput } from '../../lib/use-cases/group-access.js';
import { searchMemberAccess } from '../../lib/use-cases/contact-access.js';
import { readGroup } from '../../lib/use-cases/group-reads.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { getMember } from '../../lib/store/members.js';
import { lookup } from '../../lib/use-cases/lookups.js';
import { loadSettings } from '../../lib/config.js';
import type { Caller } from '../../lib/domain/caller.js';

const fixture = new URL('../fixtures/release-0.1.0/', import.meta.url);
type Raw = Record<string, AttributeValue>;
const revive = (_: string, v: unknown) => (v && typeof v === 'object' && '$base64' in v ? Buffer.from((v as { $base64: string }).$base64, 'base64') : v);
const tableItems = JSON.parse(readFileSync(new URL('table.json', fixture), 'utf8'), revive) as Raw[];
const expected = JSON.parse(readFileSync(new URL('answers.json', fixture), 'utf8')) as {
  checks: { check: AccessCheckInput; hasAccess: boolean }[];
  memberAccess: unknown[];
  groupReads: { memberId: number; groupId: number; readable: boolean }[];
};
/** Binary attributes as base64, so the SDK's and the fixture's byte arrays compare by content. */
const plain = (value: unknown): unknown =>
  value instanceof Uint8Array
    ? Buffer.from(value).toString('base64')
    : Array.isArray(value)
      ? value.map(plain)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
        : value;
const admin: Caller = { type: 'application', subject: 'admin', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };
const identityOfMember = (m: number) => (m <= 7 ? `4d2c1b0a-0000-4000-8000-${String(m).padStart(12, '0')}` : `00000000-0000-4000-8000-${String(m).padStart(12, '0')}`);

const settings = { ...loadSettings({}), dataSegregation: false };
let db: TestDb;
let report: Awaited<ReturnType<typeof migrateToRelease02>>;
beforeAll(async () => {
  db = await createTestDb('crs-migrate');
  // The fixture is DynamoDB's wire format, as release 0.1.0 wrote it: written as is, through the SDK's low-level client.
  const client = createSdkClient(db.connection);
  for (let i = 0; i < tableItems.length; i += 25) {
    await client.send(new BatchWriteItemCommand({ RequestItems: { [db.tableName]: tableItems.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  report = await migrateToRelease02(db);
}, 60_000);

describe('npm run migrate on a table of release 0.1.0', () => {
  it('rewrites what changed shape, and only that', () => {
    expect(report.scanned).toBe(tableItems.length);
    expect(report.membersRewritten).toBeGreaterThan(20);
    expect(report.legacyChildrenRemoved).toBeGreaterThan(0);
    expect(report.identitiesTrimmed).toBeGreaterThan(20);
    expect(report.groupsReindexed).toBe(6);
  });

  it('gives every answer release 0.1.0 gave: all checks, the member-access search, who reads which group', async () => {
    const checks = expected.checks.map((c) => c.check);
    const got: boolean[] = [];
    for (let i = 0; i < checks.length; i += 100) {
      const { results } = await checkAccessBatch(db, { dataSegregation: false }, INTERNAL_INVOKER, checks.slice(i, i + 100));
      got.push(...results.map((r) => r.hasAccess));
    }
    expect(got).toEqual(expected.checks.map((c) => c.hasAccess));
    expect(got.filter(Boolean).length).toBeGreaterThan(50);

    const uids = (expected.memberAccess as { contactUid: string }[]).map((m) => m.contactUid);
    expect(await searchMemberAccess(db, new AccessGuard(db, { dataSegregation: false }, admin), uids)).toEqual(expected.memberAccess);

    for (const { memberId, groupId, readable } of expected.groupReads) {
      const guard = new AccessGuard(db, { dataSegregation: false }, { type: 'member', subject: identityOfMember(memberId), memberId, scopes: new Set(['crs.read']) });
      const outcome = await readGroup(db, guard, groupId, 'en').then(
        () => true,
        () => false,
      );
      expect(outcome, `member ${memberId} reading group ${groupId}`).toBe(readable);
    }
  });

  it('builds the lookups\' reach index: each member reaches exactly the groups and entities its checks granted', async () => {
    const granted = (identityId: string, kind: 'group' | string) =>
      expected.checks
        .filter((c) => c.hasAccess && c.check.identityId === identityId && (kind === 'group' ? c.check.contactGroupId !== undefined : c.check.entityType === kind))
        .map((c) => (kind === 'group' ? c.check.contactGroupId! : c.check.entityId!))
        .sort((a, b) => a - b);
    const identities = [...new Set(expected.checks.map((c) => c.check.identityId!))];
    let compared = 0;
    for (const identityId of identities) {
      const subject = { identityId };
      // A deleted member's identity is gone (404): its checks granted nothing.
      const exists = await lookup(db, settings, admin, { subject, target: { kind: 'group' }, pageSize: 1, path: 'x' }).then(() => true, () => false);
      if (!exists) {
        expect(granted(identityId, 'group')).toEqual([]);
        continue;
      }
      const groups = await lookup(db, settings, admin, { subject, target: { kind: 'group' }, pageSize: 500, path: 'x' });
      expect(groups.items.map((i) => (i as { contactGroupId: number }).contactGroupId), identityId).toEqual(granted(identityId, 'group'));
      for (const entityType of ['Account', 'Portfolio', 'LegalEntity'] as const) {
        const entities = await lookup(db, settings, admin, { subject, target: { kind: 'entity', entityType }, pageSize: 500, path: 'x' });
        expect(entities.items.map((i) => (i as { entityId: number }).entityId), `${identityId} ${entityType}`).toEqual(granted(identityId, entityType));
        compared += entities.items.length;
      }
      compared += groups.items.length;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('loses nothing: every item of the old table is still there, with only the retired attributes gone', async () => {
    const now = new Map((await scanAll(db)).map((i) => [`${i.pk}|${i.sk}`, i]));
    const { unmarshall } = await import('@aws-sdk/util-dynamodb');
    for (const raw of tableItems) {
      const old = unmarshall(raw) as Record<string, unknown> & { pk: string; sk: string };
      if (old.sk === 'CHILDREN') {
        expect(now.has(`${old.pk}|${old.sk}`)).toBe(false);
        for (const child of Object.keys(old.children as object)) expect(now.has(`${old.pk}|CHILD#${child.padStart(10, '0')}`), `${old.pk} child ${child}`).toBe(true);
        continue;
      }
      const current = now.get(`${old.pk}|${old.sk}`);
      expect(current, `${old.pk}|${old.sk}`).toBeDefined();
      const { descendants: _d, gsi1pk: _p, gsi1sk: _s, ...kept } = old;
      expect(plain(current)).toMatchObject(plain(kept) as object);
    }
  });

  it('a second run changes nothing', async () => {
    const before = await snapshot(db);
    const again = await migrateToRelease02(db);
    expect(again).toMatchObject({ membersRewritten: 0, childRowsWritten: 0, legacyChildrenRemoved: 0, identitiesTrimmed: 0, linksCopied: 0, groupsReindexed: 0, groupEntityRows: 0, reachRows: 0 });
    expect(await snapshot(db)).toBe(before);
  });

  it('the write paths of this release work on the migrated data (a move of a migrated subtree)', async () => {
    // Member 104's subtree (105, 107, 108, 109) moved under member 2 in the old release; move it under member 3 now.
    const result = await ingestEvent(db, ev.memberUpserted({ memberId: 104, parentMemberId: 3, version: 3, identityId: identityOfMember(104) }), 'x');
    expect(result.status).toBe('applied');
    expect((await getMember(db, 109))?.ancestors).toEqual([108, 107, 105, 104, 3, 1]);
    const { results } = await checkAccessBatch(db, { dataSegregation: false }, INTERNAL_INVOKER, [
      { identityId: identityOfMember(3), contactGroupId: expected.groupReads.find((g) => g.groupId > 3)!.groupId },
      { identityId: identityOfMember(2), contactGroupId: expected.groupReads.find((g) => g.groupId > 3)!.groupId },
    ]);
    expect(results).toEqual([{ hasAccess: true }, { hasAccess: false }]);
  });
});
