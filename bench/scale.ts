// `npm run bench:scale [-- --sizes 1000,10000,50000]`: the access model at the size of a bank (SPEC 9), on DynamoDB
// Local. For each size it builds an organisation (root → 10 regions → 100 branches → advisors), then measures every
// operation through the library's real code paths — round trips, read and write capacity units as DynamoDB reports
// them (ReturnConsumedCapacity), the largest item read or written — and the ingestion rate; on the largest size also a
// chain of depth 10, a manager with 5,000 direct reports, an advisor assigned to 20,000 contacts, a name prefix
// matching 10,000 groups and a contact in 50 groups. A benchmark, not a test: it prints figures and asserts nothing.
import './env.js';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { startDynamoDbLocal, type RunningDynamoDb } from '../infra/local/dynamodb-local.js';
import { ensureTable } from '../infra/local/table-setup.js';
import { createDb, type Db } from '../lib/store/client.js';
import { SDK_TIMEOUTS } from '../lib/aws/deadline.js';
import { keys } from '../lib/store/keys.js';
import { batchGet } from '../lib/store/reads.js';
import { batchWrite, type IndexRow } from '../lib/store/transactions.js';
import { childRow } from '../lib/store/members.js';
import { activeContactIdsOf } from '../lib/store/groups.js';
import { newLinks, newProfile } from '../lib/store/contacts.js';
import type { ContactUidItem, GroupItem, IdentityItem, MemberAssignmentItem, MemberItem } from '../lib/store/items.js';
import type { AncestryHint } from '../lib/domain/member-hierarchy.js';
import { ingestEvent } from '../lib/use-cases/ingest/index.js';
import { changeAssignments } from '../lib/use-cases/assignments.js';
import { modifyGroup, createGroup } from '../lib/use-cases/groups.js';
import { AccessGuard } from '../lib/use-cases/access-guard.js';
import { checkAccess, INTERNAL_INVOKER, type AccessCheckInput } from '../lib/use-cases/group-access.js';
import { searchGroups } from '../lib/use-cases/group-search.js';
import { groupsOfContact } from '../lib/use-cases/group-reads.js';
import { searchMemberAccess } from '../lib/use-cases/contact-access.js';
import { lookup } from '../lib/use-cases/lookups.js';
import { migrateToRelease02 } from '../lib/store/migrations/release-0.2.js';
import type { Caller } from '../lib/domain/caller.js';
import { attachMeter, itemSize, type Cost } from './support/meter.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,50000' } } });
const SIZES = values.sizes!.split(',').map(Number);
const NOW = '2026-06-01T00:00:00.000Z';
const REGIONS = 10;
const BRANCHES = 100;
const admin: Caller = { type: 'application', subject: 'bench', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };
const identityOf = (m: number) => `00000000-0000-4000-8000-${String(m).padStart(12, '0')}`;
const uidOf = (n: number) => `20000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const memberCaller = (m: number): Caller => ({ type: 'member', subject: identityOf(m), memberId: m, scopes: new Set(['crs.read', 'crs.write']) });

/** The organisation's ids: root 1, regions 2..11, branches 100..199 (ten per region), advisors from 100,000. */
const ROOT = 1;
const regionOf = (r: number) => 2 + r;
const branchOf = (b: number) => 100 + b;
const branchRegion = (b: number) => regionOf(Math.floor(b / (BRANCHES / REGIONS)));
const ADVISOR_BASE = 100_000;

interface Row {
  operation: string;
  subject: string;
  cost: Cost;
  ms: number;
}

// ---------------------------------------------------------------- bulk loading (the organisation and data as the write paths would leave them)

let hlc = 1;
function memberItems(memberId: number, parentId: number | undefined, ancestors: number[]): IndexRow[] {
  const member: MemberItem = {
    ...keys.member(memberId), sk: 'MEMBER', type: 'Member', memberId, identityId: identityOf(memberId), firstName: `First${memberId}`, lastName: `Last${memberId}`,
    jobTitle: 'Advisor', ...(parentId !== undefined && { parentMemberId: parentId }), ancestors, isActive: true, hasPicture: false, version: 1, rev: 1, hlc: hlc++, updatedAt: NOW,
  };
  const identity: IdentityItem = { ...keys.identity(identityOf(memberId)), sk: 'IDENTITY', type: 'Identity', identityId: identityOf(memberId), memberId, isActive: true, version: 1 };
  return [{ put: member }, { put: identity }, ...(parentId !== undefined ? [{ put: childRow(parentId, memberId) }] : [])];
}

class Org {
  readonly ancestors = new Map<number, number[]>();
  readonly hlcOf = new Map<number, number>();
  rows: IndexRow[] = [];
  add(memberId: number, parentId?: number) {
    const ancestors = parentId === undefined ? [] : [parentId, ...this.ancestors.get(parentId)!];
    this.ancestors.set(memberId, ancestors);
    this.hlcOf.set(memberId, hlc);
    this.rows.push(...memberItems(memberId, parentId, ancestors));
  }
  hint(memberId: number): AncestryHint {
    return { ancestors: this.ancestors.get(memberId)!, hlc: this.hlcOf.get(memberId)! };
  }
  async flush(db: Db) {
    await writeAll(db, this.rows);
    this.rows = [];
  }
}

async function writeAll(db: Db, rows: IndexRow[]) {
  for (let i = 0; i < rows.length; i += 2_500) await batchWrite(db, rows.slice(i, i + 2_500));
}

/** Contacts (profile, links, uid alias) assigned to the given members, with the copies of their lists and reverse rows. */
function contactRows(org: Org, contactId: number, assigned: number[], groupIds: number[] = []): IndexRow[] {
  const links = newLinks(contactId, [], NOW);
  links.assignees = Object.fromEntries(assigned.map((m) => [String(m), NOW]));
  links.assigneeAncestors = Object.fromEntries(assigned.map((m) => [String(m), org.hint(m)]));
  links.groups = Object.fromEntries(groupIds.map((g) => [String(g), 1]));
  const alias: ContactUidItem = { ...keys.contactUid(uidOf(contactId)), sk: 'CONTACTUID', type: 'ContactUid', contactUid: uidOf(contactId), contactId, version: 1 };
  return [
    { put: newProfile(contactId, uidOf(contactId), { firstName: `C${contactId}`, lastName: `Contact${contactId}`, version: 1 }, NOW) },
    { put: links },
    { put: alias },
    ...assigned.map((memberId): IndexRow => ({ put: { ...keys.memberAssignment(memberId, contactId), type: 'MemberAssignment', memberId, contactId } satisfies MemberAssignmentItem })),
  ];
}

function groupRow(org: Org, groupId: number, name: string, contacts: { contactId: number; assigned: number[] }[]): IndexRow {
  const assignees: Record<string, number> = {};
  for (const c of contacts) for (const m of c.assigned) assignees[String(m)] = (assignees[String(m)] ?? 0) + 1;
  const group: GroupItem = {
    ...keys.group(groupId), sk: 'GROUP', type: 'Group', groupId, groupName: name,
    contacts: contacts.map((c, i) => ({ contactId: c.contactId, membershipId: groupId * 100 + i, relationshipType: i === 0 ? 'PrimaryGroupMember' : 'GroupMember', systemStatus: 'Active', order: i + 1 })),
    assignees, assigneeAncestors: Object.fromEntries(Object.keys(assignees).map((m) => [m, org.hint(Number(m))])),
    version: 1, accessVersion: 1, entityCount: 0, createdAt: NOW, updatedAt: NOW, ...keys.groupNameIndex(name, groupId),
  };
  group.activeContactIds = activeContactIdsOf(group);
  return { put: group };
}

/** Counters past every id the bulk load used, so the write paths allocate fresh ones. */
const counters = (start: number): IndexRow[] =>
  (['contact', 'group', 'membership'] as const).map((name) => ({ put: { ...keys.counter(name), value: start } }));

// ---------------------------------------------------------------- the measured operations

async function scanLargest(db: Db): Promise<Map<string, { bytes: number; key: string; count: number }>> {
  const out = new Map<string, { bytes: number; key: string; count: number }>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.scan({ TableName: db.tableName, ...(start && { ExclusiveStartKey: start }) });
    for (const item of page.Items ?? []) {
      const type = String(item.type ?? item.sk);
      const bytes = itemSize(item);
      const best = out.get(type) ?? { bytes: 0, key: '', count: 0 };
      best.count++;
      if (bytes > best.bytes) Object.assign(best, { bytes, key: `${item.pk}|${item.sk}` });
      out.set(type, best);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

async function benchSize(endpoint: string, size: number, extras: boolean): Promise<{ rows: Row[]; eventsPerSecond: number; parallel: { events: number; conflicts: number; perSecond: number }; largest: Map<string, { bytes: number; key: string; count: number }> }> {
  const tableName = `crs-scale-${size}-${Date.now().toString(36)}`;
  await ensureTable(endpoint, tableName);
  // Bulk loads and the migration's scans: an operator's patience, not a request's deadline.
  const db = createDb({ tableName, endpoint, timeouts: SDK_TIMEOUTS.operator });
  const meter = attachMeter(db, async (list) => [...(await batchGet(db, list)).values()] as Record<string, unknown>[]);
  const rows: Row[] = [];
  const record = async <T>(operation: string, subject: string, run: () => Promise<T>): Promise<T> => {
    const { result, cost, ms } = await meter.measure(run);
    rows.push({ operation, subject, cost, ms });
    return result;
  };

  // The organisation.
  const started = performance.now();
  const org = new Org();
  org.add(ROOT);
  for (let r = 0; r < REGIONS; r++) org.add(regionOf(r), ROOT);
  for (let b = 0; b < BRANCHES; b++) org.add(branchOf(b), branchRegion(b));
  const advisorCount = size - 1 - REGIONS - BRANCHES;
  for (let a = 0; a < advisorCount; a++) org.add(ADVISOR_BASE + a, branchOf(a % BRANCHES));
  await org.flush(db);

  // Households: contacts 1..200, two per group, assigned to advisors of branch 0 and branch 60 (regions 2 and 8).
  const advisor = ADVISOR_BASE; // branch 0, region 2
  const other = ADVISOR_BASE + 60; // branch 60, region 8
  const data: IndexRow[] = [...counters(10_000_000)];
  for (let g = 0; g < 100; g++) {
    const members = [{ contactId: 2 * g + 1, assigned: [g % 2 ? other : advisor] }, { contactId: 2 * g + 2, assigned: [advisor] }];
    for (const m of members) data.push(...contactRows(org, m.contactId, m.assigned, [g + 1]));
    data.push(groupRow(org, g + 1, `Household ${String(g + 1).padStart(4, '0')}`, members));
  }
  data.push({ put: { ...keys.entity('Account', 1), type: 'Entity', entityType: 'Account', entityId: 1, groupId: 2, version: 1 } });
  data.push({ put: { ...keys.groupEntity(2, 'Account', 1), type: 'GroupEntity', groupId: 2, entityType: 'Account', entityId: 1 } });
  // For the lookups: 20,000 contacts of region 0's advisors (its head reaches them all), the first 100 all of one advisor.
  const regionAdvisors = Array.from({ length: advisorCount }, (_, a) => ADVISOR_BASE + a).filter((id) => (id - ADVISOR_BASE) % BRANCHES < BRANCHES / REGIONS);
  const lookupAdvisor = regionAdvisors[1]!;
  for (let i = 0; i < 20_000; i++) data.push(...contactRows(org, 4_000_000 + i, [i < 100 ? lookupAdvisor : regionAdvisors[2 + (i % (regionAdvisors.length - 2))]!]));
  await writeAll(db, data);
  // The reach index of the lookups, as `npm run migrate` builds it from a table (the project function keeps it after).
  await migrateToRelease02(db);
  const loadSeconds = (performance.now() - started) / 1000;

  // Checks: the same group and entity for the root, a region head, a branch head and an advisor.
  const subjects: [string, number][] = [['root', ROOT], ['region head', regionOf(0)], ['branch head', branchOf(0)], ['advisor', advisor]];
  for (const [label, m] of subjects) {
    const ask = (input: AccessCheckInput) => checkAccess(db, { dataSegregation: false }, INTERNAL_INVOKER, input);
    await record('check identity→group', label, () => ask({ identityId: identityOf(m), contactGroupId: 2 }));
    await record('check identity→entity', label, () => ask({ identityId: identityOf(m), entityType: 'Account', entityId: 1 }));
  }
  await record('check contact→group', 'contact', () => checkAccess(db, { dataSegregation: false }, INTERNAL_INVOKER, { contactId: 3, contactGroupId: 2 }));
  await record('check contact→entity', 'contact', () => checkAccess(db, { dataSegregation: false }, INTERNAL_INVOKER, { contactId: 3, entityType: 'Account', entityId: 1 }));
  await record('GET group (member caller)', 'region head', async () => {
    const { readGroup } = await import('../lib/use-cases/group-reads.js');
    return readGroup(db, new AccessGuard(db, { dataSegregation: false }, memberCaller(regionOf(0))), 2, 'en');
  });

  // Lookups: a page of 100 for an advisor with 100 contacts and for a region head reaching 20,000 (first and second page).
  const lookupSettings = { dataSegregation: false, cursorSecret: 'bench' };
  const page = (m: number, kind: 'contact' | 'group', cursor?: string) =>
    lookup(db, lookupSettings, INTERNAL_INVOKER, { subject: { identityId: identityOf(m) }, target: { kind }, pageSize: 100, cursor, path: 'bench' });
  const first = await record('lookup contacts, page of 100', 'advisor with 100 contacts', () => page(lookupAdvisor, 'contact'));
  const head = await record('lookup contacts, page of 100', 'region head reaching 20,000', () => page(regionOf(0), 'contact'));
  await record('lookup contacts, next page of 100', 'region head reaching 20,000', () => page(regionOf(0), 'contact', head.nextCursor ?? undefined));
  await record('lookup contact groups, page of 100', 'region head', () => page(regionOf(0), 'group'));
  void first;

  // Writes.
  await record('member insert (MemberUpserted)', 'advisor under branch 0', () => ingestEvent(db, ev('MemberUpserted', { memberId: 9_000_001, identityId: identityOf(9_000_001), parentMemberId: branchOf(0), firstName: 'New', lastName: 'Advisor', version: 1 }), 'x', NOW));
  await record('assignment (POST members)', 'advisor', () => changeAssignments(db, 5, (_l, current) => [...current, advisor + 100], NOW));
  await record('membership change (PUT group)', 'admin', () =>
    modifyGroup(db, new AccessGuard(db, { dataSegregation: false }, admin), { groupId: 3, group: { contacts: [{ contactId: 5 }, { contactId: 6, systemStatus: 'Inactive' }] }, now: NOW }),
  );
  await record('group create (2 contacts)', 'admin', () =>
    createGroup(db, new AccessGuard(db, { dataSegregation: false }, admin), { contactId: 7, group: { groupName: 'New household', contacts: [{ contactId: 7 }, { contactId: 8 }] }, now: NOW }),
  );
  const branchSize = Math.ceil(advisorCount / BRANCHES);
  await record(`branch move (${branchSize} advisors)`, 'branch 50 → region 2', () =>
    ingestEvent(db, ev('MemberUpserted', { memberId: branchOf(50), identityId: identityOf(branchOf(50)), parentMemberId: regionOf(0), firstName: 'F', lastName: 'L', version: 2 }), 'x', NOW),
  );
  await record('check identity→group after the move', 'region head (stamped)', () => checkAccess(db, { dataSegregation: false }, INTERNAL_INVOKER, { identityId: identityOf(regionOf(5)), contactGroupId: 2 }));
  await record('group search (prefix matching 100 groups)', 'admin', () =>
    searchGroups(db, new AccessGuard(db, { dataSegregation: false }, admin), { name: 'Household' }, 'en'),
  );
  await record('group search (prefix matching 100 groups)', 'region head', () =>
    searchGroups(db, new AccessGuard(db, { dataSegregation: false }, memberCaller(regionOf(0))), { name: 'Household' }, 'en'),
  );

  // Ingestion rate: 400 new advisors, one event after the other, into branches across the organisation (after 100
  // not counted, so both sides of the comparison run on a warm JVM).
  for (let i = 0; i < 100; i++) {
    await ingestEvent(db, ev('MemberUpserted', { memberId: 9_050_000 + i, identityId: identityOf(9_050_000 + i), parentMemberId: branchOf((i * 3) % BRANCHES), firstName: 'F', lastName: 'L', version: 1 }), 'x', NOW);
  }
  const sequential = 400;
  const t0 = performance.now();
  for (let i = 0; i < sequential; i++) {
    await ingestEvent(db, ev('MemberUpserted', { memberId: 9_100_000 + i, identityId: identityOf(9_100_000 + i), parentMemberId: branchOf((i * 7) % BRANCHES), firstName: 'F', lastName: 'L', version: 1 }), 'x', NOW);
  }
  const eventsPerSecond = sequential / ((performance.now() - t0) / 1000);

  // Four streams at once, each into its own branch: how many writes lose a race (and are retried)?
  const perStream = 100;
  const parallelRun = await meter.measure(() =>
    Promise.all(
      [0, 1, 2, 3].map(async (s) => {
        for (let i = 0; i < perStream; i++) {
          const id = 9_200_000 + s * 1_000 + i;
          await ingestEvent(db, ev('MemberUpserted', { memberId: id, identityId: identityOf(id), parentMemberId: branchOf(s * 25), firstName: 'F', lastName: 'L', version: 1 }), 'x', NOW);
        }
      }),
    ),
  );
  const parallel = { events: 4 * perStream, conflicts: parallelRun.cost.failedWrites, perSecond: (4 * perStream) / (parallelRun.ms / 1000) };

  if (extras && !process.env.BENCH_NO_EXTRAS) await benchExtras(db, org, record);
  const largest = await scanLargest(db);
  console.error(`  size ${size}: loaded in ${loadSeconds.toFixed(0)} s, measured in ${((performance.now() - started) / 1000 - loadSeconds).toFixed(0)} s`);
  db.doc.destroy();
  return { rows, eventsPerSecond, parallel, largest };
}

/** The shapes SPEC 9 names beside the organisation: a chain of depth 10, a manager with 5,000 reports, an advisor with 20,000 contacts. */
async function benchExtras(db: Db, org: Org, record: <T>(operation: string, subject: string, run: () => Promise<T>) => Promise<T>) {
  // A chain of depth 10 below region 9: 8 more levels, and 100 contacts assigned to its leaf.
  const chain = [regionOf(9)];
  for (let d = 0; d < 8; d++) {
    const id = 7_000_000 + d;
    org.add(id, chain.at(-1));
    chain.push(id);
  }
  const leaf = chain.at(-1)!;
  // A manager with 5,000 direct reports (below region 3).
  const wide = 7_100_000;
  org.add(wide, regionOf(1));
  for (let i = 1; i <= 5_000; i++) org.add(wide + i, wide);
  // An advisor with 20,000 contacts (below branch 10).
  const busy = 7_200_000;
  org.add(busy, branchOf(10));
  await org.flush(db);

  const data: IndexRow[] = [];
  const deep: number[] = [];
  for (let i = 0; i < 100; i++) {
    const contactId = 1_000_000 + i;
    deep.push(contactId);
    data.push(...contactRows(org, contactId, [leaf]));
  }
  data.push(groupRow(org, 500_000, 'Deep household', [{ contactId: 1_000_000, assigned: [leaf] }]));
  data.push(...contactRows(org, 1_100_000, [wide + 4_999]));
  data.push(groupRow(org, 500_001, 'Wide household', [{ contactId: 1_100_000, assigned: [wide + 4_999] }]));
  // 20,000 contacts of the busy advisor; the first 10,000 each in a group named "Family …" (10,000 matches).
  for (let i = 0; i < 20_000; i++) {
    const contactId = 2_000_000 + i;
    data.push(...contactRows(org, contactId, [busy], i < 10_000 ? [600_000 + i] : []));
    if (i < 10_000) data.push(groupRow(org, 600_000 + i, `Family ${String(i).padStart(5, '0')}`, [{ contactId, assigned: [busy] }]));
  }
  // A contact in 50 groups (with one other contact each).
  const joined = 3_000_000;
  data.push(...contactRows(org, joined, [busy], Array.from({ length: 50 }, (_, i) => 700_000 + i)));
  for (let i = 0; i < 50; i++) {
    data.push(...contactRows(org, joined + 1 + i, [busy], [700_000 + i]));
    data.push(groupRow(org, 700_000 + i, `Club ${i}`, [{ contactId: joined, assigned: [busy] }, { contactId: joined + 1 + i, assigned: [busy] }]));
  }
  await writeAll(db, data);

  const ask = (m: number, groupId: number) => checkAccess(db, { dataSegregation: false }, INTERNAL_INVOKER, { identityId: identityOf(m), contactGroupId: groupId });
  await record('check identity→group', 'top of a chain of 10 (region 9)', () => ask(regionOf(9), 500_000));
  await record('check identity→group', 'leaf of a chain of 10', () => ask(leaf, 500_000));
  await record('check identity→group', 'manager of 5,000 reports', () => ask(wide, 500_001));
  await record('member insert (MemberUpserted)', 'the 5,001st report', () =>
    ingestEvent(db, ev('MemberUpserted', { memberId: wide + 5_001, identityId: identityOf(wide + 5_001), parentMemberId: wide, firstName: 'F', lastName: 'L', version: 1 }), 'x', NOW),
  );
  await record('check identity→group', 'advisor with 20,000 contacts', () => ask(busy, 600_000));
  await record('assignment (POST members)', 'advisor with 20,000 contacts, 20,001st', () => changeAssignments(db, 1_000_001, (_l, current) => [...current, busy], NOW));
  await record('member-access search (100 contacts, depth 10)', 'admin', () =>
    searchMemberAccess(db, new AccessGuard(db, { dataSegregation: false }, admin), deep.map(uidOf)),
  );
  await record('group search (prefix matching 10,000 groups)', 'admin', () => searchGroups(db, new AccessGuard(db, { dataSegregation: false }, admin), { name: 'Family' }, 'en'));
  await record('group search (prefix matching 10,000 groups)', 'region head', () =>
    searchGroups(db, new AccessGuard(db, { dataSegregation: false }, memberCaller(regionOf(0))), { name: 'Family' }, 'en'),
  );
  await record('groups of a contact (50 groups)', 'admin', () => groupsOfContact(db, new AccessGuard(db, { dataSegregation: false }, admin), joined, 'en'));
}

let eventSeq = 0;
const ev = (detailType: string, detail: Record<string, unknown>) => ({ id: `bench-${++eventSeq}`, source: 'bench', 'detail-type': detailType, time: NOW, detail });

// ---------------------------------------------------------------- report

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

async function main() {
  const results: { size: number; result: Awaited<ReturnType<typeof benchSize>> }[] = [];
  const given = process.env.DYNAMODB_ENDPOINT;
  for (const size of SIZES) {
    console.error(`building an organisation of ${size.toLocaleString('en')} members …`);
    // A fresh DynamoDB Local per size: its speed drops as its in-memory database grows, which would charge one size
    // for the tables of the others.
    const dynamo: RunningDynamoDb | undefined = given ? undefined : await startDynamoDbLocal({ throughput: true });
    try {
      results.push({ size, result: await benchSize(given ?? dynamo!.endpoint, size, size === Math.max(...SIZES)) });
    } finally {
      await dynamo?.stop();
    }
  }
  const endpoint = given;
  const dynamo = undefined as RunningDynamoDb | undefined;

  console.log(`# bench:scale — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, DynamoDB Local ${endpoint === dynamo?.endpoint ? '(in memory)' : endpoint}\n`);
  console.log('Capacity units as DynamoDB Local reports them (ReturnConsumedCapacity: TOTAL); strongly consistent reads.\n');
  for (const { size, result } of results) {
    console.log(`## ${size.toLocaleString('en')} members\n`);
    console.log('| operation | subject | rounds | requests | RCU | WCU | largest item read | largest item written | ms |');
    console.log('|---|---|---:|---:|---:|---:|---|---|---:|');
    for (const r of result.rows) {
      const { cost } = r;
      console.log(
        `| ${r.operation} | ${r.subject} | ${cost.rounds} | ${cost.requests} | ${fmt(cost.rcu)} | ${fmt(cost.wcu)} | ${kb(cost.largestRead.bytes)} KB \`${cost.largestRead.key}\` | ${kb(cost.largestWritten.bytes)} KB \`${cost.largestWritten.key}\` | ${r.ms.toFixed(0)} |`,
      );
    }
    console.log(`\nIngestion: ${result.eventsPerSecond.toFixed(0)} MemberUpserted events/s in one stream; four parallel streams into four branches: ${result.parallel.perSecond.toFixed(0)} events/s, ${result.parallel.conflicts} of ${result.parallel.events} events lost a race (retried).\n`);
    console.log('Largest item of each type in the table:\n');
    console.log('| item type | items | largest | key |');
    console.log('|---|---:|---:|---|');
    for (const [type, l] of [...result.largest].sort((a, b) => b[1].bytes - a[1].bytes)) console.log(`| ${type} | ${l.count} | ${kb(l.bytes)} KB | \`${l.key}\` |`);
    console.log('');
  }
  if (results.length > 1) {
    const first = results[0]!;
    const last = results.at(-1)!;
    const find = (r: typeof first, op: string, subject: string) => r.result.rows.find((x) => x.operation === op && x.subject === subject)!.cost;
    console.log(`## Ratios (${last.size.toLocaleString('en')} against ${first.size.toLocaleString('en')} members, same run)\n`);
    for (const { size, result } of results) {
      const root = result.rows.find((x) => x.operation === 'check identity→group' && x.subject === 'root')!.cost;
      const adv = result.rows.find((x) => x.operation === 'check identity→group' && x.subject === 'advisor')!.cost;
      const rootE = result.rows.find((x) => x.operation === 'check identity→entity' && x.subject === 'root')!.cost;
      const advE = result.rows.find((x) => x.operation === 'check identity→entity' && x.subject === 'advisor')!.cost;
      console.log(`- ${size.toLocaleString('en')} members: root/advisor read capacity, identity→group ${fmt(root.rcu)}/${fmt(adv.rcu)} = ${(root.rcu / adv.rcu).toFixed(2)}×, identity→entity ${fmt(rootE.rcu)}/${fmt(advE.rcu)} = ${(rootE.rcu / advE.rcu).toFixed(2)}×`);
    }
    const insert = (r: typeof first) => find(r, 'member insert (MemberUpserted)', 'advisor under branch 0').wcu;
    const assign = (r: typeof first) => find(r, 'assignment (POST members)', 'advisor').wcu;
    console.log(`- write capacity per member insert: ${fmt(insert(last))} against ${fmt(insert(first))} = ${(insert(last) / insert(first)).toFixed(2)}×`);
    console.log(`- write capacity per assignment: ${fmt(assign(last))} against ${fmt(assign(first))} = ${(assign(last) / assign(first)).toFixed(2)}×`);
    console.log(`- ingestion events/s: ${last.result.eventsPerSecond.toFixed(0)} against ${first.result.eventsPerSecond.toFixed(0)} = ${(last.result.eventsPerSecond / first.result.eventsPerSecond).toFixed(2)}×`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
