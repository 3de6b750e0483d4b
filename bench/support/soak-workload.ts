// The soak: a mixed workload against the local server with real tokens — concurrent assignments, group writes,
// relatives, Dezrez additions, ingestion with replays and reordering, reorganisations, member and contact deletions,
// checks and reads — for a bounded time, optionally with DynamoDB Local stopped and started again in the middle; then
// every answer is accounted for (a 409/412 by a real race, a 404/422 by a deletion, a 503 by the outage), every
// aggregate holds the newest version sent, and verify-table judges the table.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../lib/store/client.js';
import { getItem } from '../../lib/store/reads.js';
import { keys } from '../../lib/store/keys.js';
import type { ContactUidItem, EntityItem, MemberItem } from '../../lib/store/items.js';
import { countByKind, verifyTable, type VerifyResult } from '../../lib/integrity/verify.js';
import type { SoakServer } from './soak-server.js';

export interface SoakOptions {
  seconds: number;
  /**
   * Go on past `seconds` until this many API requests were answered (at most 4 × `seconds`): a slow machine still
   * soaks the same amount of work.
   */
  minRequests?: number;
  /** Concurrent virtual users. */
  concurrency?: number;
  seed?: number;
  /** Stop DynamoDB Local `atSeconds` into the run for `forSeconds` (the server must run its own). */
  outage?: { atSeconds: number; forSeconds: number };
  log?: (line: string) => void;
}

interface Call {
  op: string;
  status: number;
  subCode?: string;
  start: number;
  end: number;
  /** What the call read or wrote: `contact:7`, `group:3`, `member:100`, `idem:<key>`. */
  resources: string[];
  write: boolean;
}

export interface Unexplained {
  op: string;
  status: number;
  subCode?: string | undefined;
  resources: string[];
}

export interface SoakReport {
  seconds: number;
  concurrency: number;
  requests: number;
  byStatus: Record<string, number>;
  byOperation: Record<string, Record<string, number>>;
  /** 5xx answers not explained by an outage (must be 0). */
  serverErrors: number;
  /** 409 and 412 answers, and those a real race explains (a concurrent write on a shared item, or the outage). */
  conflicts: { total: number; explained: number; byOutage: number };
  /** 404 and 422 answers explained by a deletion of what they name. */
  refusals: { total: number; explained: number };
  unexplained: Unexplained[];
  /** What the functions logged as unexpected errors (the cause of any 500). */
  unexpectedErrors: readonly string[];
  ingest: { batches: number; events: number; applied: number; ignored: number; rejected: number; redeliveries: number; deadLettered: number; redriven: number };
  /** Aggregates whose stored version is not the newest one sent (replays and reordering must not win). */
  versionsBehind: string[];
  versionsChecked: number;
  outage?: { stoppedAfterMs: number; downMs: number; unavailableAnswers: number; recoveryMs: number; otherServerErrors: number };
  verify: { scanned: number; disagreements: number; tolerated: number; byKind: Record<string, number>; findings: string[] };
}

// ---- deterministic randomness

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PARTICIPANT = '5e0a0000-0000-4000-8000-00000000a001';
const OTHER_PARTICIPANT = '5e0a0000-0000-4000-8000-00000000a002';
const identityOf = (m: number) => `5e0a0000-0000-4000-8000-${String(m).padStart(12, '0')}`;
const uidOf = (n: number) => `5e0b0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ROOT = 1;
const REGIONS = [2, 3];
const BRANCHES = [10, 11, 12, 13];
const ADVISORS = Array.from({ length: 40 }, (_, i) => 100 + i);
const branchOfAdvisor = (a: number) => BRANCHES[Math.floor((a - 100) / 10)]!;
const RELATIVE_TYPES = ['Spouse', 'Partner', 'Parent', 'Child', 'Sibling', 'Grandparent', 'Guardian', 'PowerOfAttorney', 'Other'];
/** Not-found answers and the resource kind a deletion of which explains them. */
const NOT_FOUND = new Set(['ContactNotFound', 'GroupNotFound', 'MemberNotFound', 'IdentityNotFound', 'AdvisorNotFound']);

interface GroupModel {
  contacts: Set<number>;
  /** Created by the soak (may be deleted; never linked to entities). */
  own: boolean;
}

export async function runSoak(server: SoakServer, options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const concurrency = options.concurrency ?? 8;
  const random = prng(options.seed ?? 13);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const calls: Call[] = [];
  let apiRequests = 0;
  const deletions: { resource: string; start: number }[] = [];
  const versions = new Map<string, number>();
  const nextVersion = (aggregate: string) => {
    const v = (versions.get(aggregate) ?? 0) + 1;
    versions.set(aggregate, v);
    return v;
  };
  const sentEvents: unknown[] = [];
  const ingestStats = { batches: 0, events: 0, applied: 0, ignored: 0, rejected: 0, redeliveries: 0, deadLettered: 0, redriven: 0 };
  const deadLetters: unknown[][] = [];
  const rejections: string[] = [];

  const admin = await server.token({ sub: 'soak-admin', caller_type: 'application', scope: 'crs.read crs.write crs.admin' });
  const app = await server.token({ sub: 'soak-app', caller_type: 'application', participant_uid: PARTICIPANT, scope: 'crs.read crs.write' });
  const memberTokens = new Map<number, string>();
  for (const m of [ROOT, ...REGIONS, ...BRANCHES, ...ADVISORS]) {
    memberTokens.set(m, await server.token({ sub: identityOf(m), caller_type: 'member', member_id: m, participant_uid: PARTICIPANT, scope: 'crs.read' }));
  }

  // ---- HTTP

  async function call(op: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; resources?: string[]; write?: boolean; start?: number } = {}) {
    const start = options.start ?? Date.now();
    const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? admin}`, ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let status = 0;
    let body: any;
    let responseHeaders = new Headers();
    try {
      const res = await fetch(`${server.url}${path}`, { method, headers, ...(options.body !== undefined && { body: JSON.stringify(options.body) }) });
      status = res.status;
      responseHeaders = res.headers;
      const text = await res.text();
      body = text ? JSON.parse(text) : undefined;
    } catch (error) {
      status = 599; // no answer at all (counted as a server error)
      body = { message: (error as Error).message };
    }
    calls.push({ op, status, subCode: body?.subCode ?? body?.Details, start, end: Date.now(), resources: options.resources ?? [], write: options.write ?? false });
    apiRequests++;
    return { status, body, headers: responseHeaders };
  }

  /** The ingest door as SQS would drive it: a failed batch is delivered again (5 receives), then dead-lettered. */
  async function ingest(events: unknown[], resources: string[] = []) {
    ingestStats.batches++;
    ingestStats.events += events.length;
    sentEvents.push(...events);
    for (let receive = 1; receive <= 5; receive++) {
      if (receive > 1) {
        ingestStats.redeliveries++;
        await sleep(200 * 2 ** (receive - 2));
      }
      const start = Date.now();
      let res: Response | undefined;
      try {
        res = await fetch(`${server.url}/_local/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
      } catch {
        res = undefined;
      }
      if (res?.status === 200) {
        const { results } = (await res.json()) as { results: { id: string; status: string; reason?: string; contactId?: number }[] };
        for (const r of results) {
          ingestStats[r.status as 'applied' | 'ignored' | 'rejected']++;
          if (r.status === 'rejected') rejections.push(`${r.id}: ${r.reason}`);
        }
        calls.push({ op: 'ingest', status: 200, start, end: Date.now(), resources, write: true });
        return results;
      }
      await res?.text();
    }
    ingestStats.deadLettered++;
    deadLetters.push(events);
    return undefined;
  }

  const envelope = (detailType: string, detail: Record<string, unknown>) => ({
    id: `soak-${randomUUID()}`,
    source: 'soak',
    'detail-type': detailType,
    time: new Date().toISOString(),
    detail,
  });
  const memberEvent = (m: number, parent: number | undefined, version: number, extra: Record<string, unknown> = {}) =>
    envelope('MemberUpserted', { memberId: m, identityId: identityOf(m), participantUid: PARTICIPANT, ...(parent !== undefined && { parentMemberId: parent }), firstName: `First${m}`, lastName: `Last${m}`, version, ...extra });
  const contactEvent = (uid: string, version: number, extra: Record<string, unknown> = {}) =>
    envelope('ContactUpserted', { contactUid: uid, firstName: `F${version}`, lastName: `Contact ${uid.slice(-4)}`, participantUids: [PARTICIPANT], version, ...extra });

  // ---- the world (the soak's own model of it: approximate, used to pick targets and name what calls touch)

  const contacts: number[] = [];
  const uidOfContact = new Map<number, string>();
  const transient: number[] = [];
  const groups = new Map<number, GroupModel>();
  const groupsOf = (c: number) => [...groups].filter(([, g]) => g.contacts.has(c)).map(([id]) => `group:${id}`);
  const parentOf = new Map<number, number>();
  const deletedMembers = new Set<number>();
  const entityLinks = new Map<number, number | null>();
  let seq = 0;

  log('seeding: 47 members, 40 contacts, 10 households, 10 relative pairs, 10 entity links');
  await ingest([memberEvent(ROOT, undefined, nextVersion(`member:${ROOT}`))]);
  await ingest(REGIONS.map((r) => memberEvent(r, ROOT, nextVersion(`member:${r}`))));
  await ingest(BRANCHES.map((b, i) => memberEvent(b, REGIONS[i >> 1], nextVersion(`member:${b}`))));
  for (const b of BRANCHES) parentOf.set(b, REGIONS[BRANCHES.indexOf(b) >> 1]!);
  await ingest(ADVISORS.map((a) => memberEvent(a, branchOfAdvisor(a), nextVersion(`member:${a}`))));
  const seeded = await ingest(Array.from({ length: 40 }, (_, n) => contactEvent(uidOf(n), nextVersion(`contact:${uidOf(n)}`))));
  for (const [n, r] of (seeded ?? []).entries()) {
    contacts.push(r.contactId!);
    uidOfContact.set(r.contactId!, uidOf(n));
  }
  await Promise.all(contacts.map((c, i) => call('seed', 'PUT', `/v1.0/contacts/${c}/members`, { body: { memberIds: [ADVISORS[i % ADVISORS.length]!] } })));
  await Promise.all(
    Array.from({ length: 10 }, async (_, h) => {
      const members = contacts.slice(h * 4, h * 4 + 3);
      const res = await call('seed', 'POST', `/v2.0/contacts/${members[0]}/contactgroups`, { body: { groupName: `Soak household ${h}`, groupExternalId: `SOAK-H${h}`, contacts: members.map((contactId) => ({ contactId })) } });
      groups.set(res.body.id, { contacts: new Set(members), own: false });
    }),
  );
  const households = [...groups.keys()].sort((a, b) => a - b);
  await Promise.all(Array.from({ length: 10 }, (_, p) => call('seed', 'PUT', `/v1.1/contacts/${contacts[p * 4]}/relatives/${contacts[p * 4 + 3]}`, { body: { relationshipType: 'Sibling' } })));
  if (calls.some((c) => c.status >= 300)) throw new Error(`seeding failed: ${JSON.stringify(calls.filter((c) => c.status >= 300).slice(0, 3))}`);
  await ingest(Array.from({ length: 10 }, (_, e) => {
    entityLinks.set(e + 1, households[e % households.length]!);
    return envelope('EntityLinked', { entityType: 'Account', entityId: e + 1, contactGroupId: households[e % households.length], version: nextVersion(`entity:Account:${e + 1}`) });
  }));

  // ---- operations

  const liveContact = () => pick([...contacts, ...transient]);
  const liveAdvisor = () => pick(ADVISORS.filter((a) => !deletedMembers.has(a)));
  const anyGroup = () => pick([...groups.keys()]);
  const memberCaller = () => pick([ROOT, ...REGIONS, ...BRANCHES, ...ADVISORS]);

  const ops: [string, number, () => Promise<unknown>][] = [
    ['check identity→group', 10, async () => {
      const m = memberCaller();
      const g = anyGroup();
      await call('check identity→group', 'GET', `/v1.0/contact-groups/${g}/identities/${identityOf(m)}/access`, { token: memberTokens.get(m)!, resources: [`group:${g}`, `member:${m}`] });
    }],
    ['check contact→group', 5, async () => {
      const c = liveContact();
      const g = anyGroup();
      await call('check contact→group', 'GET', `/v1.0/contact-groups/${g}/contacts/${c}/access`, { resources: [`group:${g}`, `contact:${c}`] });
    }],
    ['check identity→entity', 5, async () => {
      const m = memberCaller();
      await call('check identity→entity', 'GET', `/v1.0/contact-groups/identities/${identityOf(m)}/Account/${1 + Math.floor(random() * 12)}/access`, { token: memberTokens.get(m)!, resources: [`member:${m}`] });
    }],
    ['check contact→entity', 3, async () => {
      const c = liveContact();
      await call('check contact→entity', 'GET', `/v1.0/contact-groups/contacts/${c}/Account/${1 + Math.floor(random() * 12)}/access`, { resources: [`contact:${c}`] });
    }],
    ['batch of checks', 3, async () => {
      const checks = Array.from({ length: 20 }, () =>
        random() < 0.5 ? { identityId: identityOf(memberCaller()), contactGroupId: anyGroup() } : { contactId: liveContact(), entityType: 'Account', entityId: 1 + Math.floor(random() * 12) },
      );
      await call('batch of checks', 'POST', '/v1.0/contact-groups/access/batch', { body: { checks } });
    }],
    ['GET group', 5, async () => {
      const g = anyGroup();
      await call('GET group', 'GET', `/v1.0/contactgroups/${g}`, { resources: [`group:${g}`] });
    }],
    ['GET groups of a contact', 3, async () => {
      const c = liveContact();
      await call('GET groups of a contact', 'GET', `/v2.0/contacts/${c}/contactgroups`, { token: app, resources: [`contact:${c}`] });
    }],
    ['member-profiles', 3, async () => {
      const c = liveContact();
      await call('member-profiles', 'GET', `/v1.0/contacts/${c}/member-profiles`, { resources: [`contact:${c}`] });
    }],
    ['relatives', 3, async () => {
      const c = liveContact();
      await call('relatives', 'GET', `/v1.1/contacts/${c}/relatives`, { resources: [`contact:${c}`] });
    }],
    ['search groups by name', 2, async () => {
      await call('search groups by name', 'POST', '/v1.0/contact-groups/search', { body: { name: 'Soak', pageSize: 50 } });
    }],
    ['lookup: contacts an advisor can see', 3, async () => {
      const m = memberCaller();
      const first = await call('lookup: contacts an advisor can see', 'GET', `/v1.0/identities/${identityOf(m)}/accessible/contacts?pageSize=10`, { resources: [`member:${m}`] });
      if (first.status === 200 && first.body.nextCursor) {
        await call('lookup: contacts an advisor can see', 'GET', `/v1.0/identities/${identityOf(m)}/accessible/contacts?pageSize=10&cursor=${encodeURIComponent(first.body.nextCursor)}`, { resources: [`member:${m}`] });
      }
    }],
    ['lookup: households an advisor can see', 2, async () => {
      const m = memberCaller();
      await call('lookup: households an advisor can see', 'GET', `/v1.0/identities/${identityOf(m)}/accessible/contact-groups?pageSize=20`, { resources: [`member:${m}`] });
    }],
    ['lookup: accounts a contact can see', 2, async () => {
      const c = liveContact();
      await call('lookup: accounts a contact can see', 'GET', `/v1.0/contacts/${c}/accessible/Account?pageSize=20`, { resources: [`contact:${c}`] });
    }],
    ['member-access search', 2, async () => {
      const uids = Array.from({ length: 10 }, () => uidOfContact.get(pick(contacts))!);
      await call('member-access search', 'POST', '/v1.0/contacts/member-access/search', { body: { contactUids: uids } });
    }],
    ['POST members', 6, async () => {
      const c = liveContact();
      const m = liveAdvisor();
      await call('POST members', 'POST', `/v1.0/contacts/${c}/members`, { body: { memberIds: [m] }, resources: [`contact:${c}`, `member:${m}`, ...groupsOf(c)], write: true });
    }],
    ['PUT members', 4, async () => {
      const c = liveContact();
      const set = Array.from({ length: Math.floor(random() * 3) }, liveAdvisor);
      await call('PUT members', 'PUT', `/v1.0/contacts/${c}/members`, { body: { memberIds: [...new Set(set)] }, resources: [`contact:${c}`, ...set.map((m) => `member:${m}`), ...groupsOf(c)], write: true });
    }],
    ['PUT group', 6, async () => {
      const g = anyGroup();
      const start = Date.now();
      const read = await call('GET group (before PUT)', 'GET', `/v1.0/contactgroups/${g}`, { resources: [`group:${g}`] });
      if (read.status !== 200) return;
      const current: { contactId: number; relationshipType: { systemName: string }; systemStatus?: { systemName: string } }[] = read.body.contacts;
      let next = current.map((m) => ({ contactId: m.contactId, relationshipType: m.relationshipType.systemName, systemStatus: m.systemStatus?.systemName ?? 'Active' }));
      const roll = random();
      // A group emptied by contact deletions (kept for its linked entities) gets a contact again.
      if (next.length === 0 || (roll < 0.4 && next.length < 8)) {
        const c = liveContact();
        if (!next.some((m) => m.contactId === c)) next.push({ contactId: c, relationshipType: 'GroupMember', systemStatus: 'Active' });
      } else if (roll < 0.7 && next.length > 1) {
        const drop = Math.floor(random() * next.length);
        next = next.filter((_, i) => i !== drop);
      }
      else if (next.length > 0) {
        const i = Math.floor(random() * next.length);
        next[i] = { ...next[i]!, systemStatus: next[i]!.systemStatus === 'Active' ? 'Inactive' : 'Active' };
      }
      const involved = new Set([...current.map((m) => m.contactId), ...next.map((m) => m.contactId)]);
      const res = await call('PUT group', 'PUT', `/v1.0/contactgroups/${g}`, {
        body: { contacts: next },
        headers: { 'if-match': read.headers.get('etag') ?? '*' },
        resources: [`group:${g}`, ...[...involved].map((c) => `contact:${c}`)],
        write: true,
        start,
      });
      if (res.status === 204 && groups.has(g)) groups.get(g)!.contacts = new Set(next.map((m) => m.contactId));
    }],
    ['POST group', 2, async () => {
      const members = [...new Set([liveContact(), liveContact()])];
      const body = { groupName: `Soak group ${++seq}`, groupExternalId: `SOAK-${randomUUID().slice(0, 8)}`, contacts: members.map((contactId) => ({ contactId })) };
      const key = randomUUID();
      const resources = [`idem:${key}`, ...members.map((c) => `contact:${c}`)];
      const first = await call('POST group', 'POST', `/v2.0/contacts/${members[0]}/contactgroups`, { body, headers: { 'idempotency-key': key }, resources, write: true });
      if (first.status !== 201) return;
      groups.set(first.body.id, { contacts: new Set(members), own: true });
      // A client retrying with the same key gets the same group.
      if (random() < 0.3) {
        const again = await call('POST group (retried with its key)', 'POST', `/v2.0/contacts/${members[0]}/contactgroups`, { body, headers: { 'idempotency-key': key }, resources, write: true });
        if (again.status === 201 && again.body.id !== first.body.id) calls.push({ ...calls.at(-1)!, status: 0, subCode: 'IdempotencyBroken' });
      }
    }],
    ['DELETE group', 1, async () => {
      const own = [...groups].filter(([, g]) => g.own).map(([id]) => id);
      if (own.length < 3) return;
      const g = pick(own);
      const start = Date.now();
      deletions.push({ resource: `group:${g}`, start });
      const read = await call('GET group (before DELETE)', 'GET', `/v1.0/contactgroups/${g}`, { resources: [`group:${g}`] });
      if (read.status !== 200) return;
      const res = await call('DELETE group', 'DELETE', `/v1.0/contactgroups/${g}`, {
        headers: { 'if-match': read.headers.get('etag') ?? '*' },
        resources: [`group:${g}`, ...[...(groups.get(g)?.contacts ?? [])].map((c) => `contact:${c}`)],
        write: true,
        start,
      });
      if (res.status === 204) groups.delete(g);
    }],
    ['PUT relative', 3, async () => {
      const [a, b] = [liveContact(), liveContact()];
      if (a === b) return;
      await call('PUT relative', 'PUT', `/v1.1/contacts/${a}/relatives/${b}`, { body: { relationshipType: pick(RELATIVE_TYPES) }, resources: [`contact:${a}`, `contact:${b}`], write: true });
    }],
    ['DELETE relative', 1, async () => {
      const [a, b] = [liveContact(), liveContact()];
      if (a === b) return;
      await call('DELETE relative', 'DELETE', `/v1.1/contacts/${a}/relatives/${b}`, { resources: [`contact:${a}`, `contact:${b}`], write: true });
    }],
    ['Dezrez add member', 2, async () => {
      const g = anyGroup();
      const c = liveContact();
      const res = await call('Dezrez add member', 'PUT', `/api/group/${g}/addgroupmember`, {
        body: { Person: { PersonId: c }, RelationshipType: { SystemName: 'GroupMember' } },
        resources: [`group:${g}`, `contact:${c}`, ...groupsOf(c)],
        write: true,
      });
      if (res.status === 200) groups.get(g)?.contacts.add(c);
    }],
    ['participant access', 1, async () => {
      const c = liveContact();
      const method = random() < 0.5 ? 'POST' : 'DELETE';
      await call(`${method} participant access`, method, `/v1.0/contacts/${c}/participant-access`, { body: { participantUids: [OTHER_PARTICIPANT] }, resources: [`contact:${c}`], write: true });
    }],
    ['ingest: contact updates, reordered and replayed', 3, async () => {
      const c = pick(contacts);
      const uid = uidOfContact.get(c)!;
      const [v1, v2] = [nextVersion(`contact:${uid}`), nextVersion(`contact:${uid}`)];
      const replay = sentEvents.length > 0 ? [pick(sentEvents)] : [];
      await ingest([contactEvent(uid, v2), contactEvent(uid, v1), ...replay], [`contact:${c}`]);
    }],
    ['ingest: member updates', 2, async () => {
      const m = liveAdvisor();
      await ingest([memberEvent(m, branchOfAdvisor(m), nextVersion(`member:${m}`), { jobTitle: `Advisor ${seq++}` })], [`member:${m}`]);
    }],
    ['ingest: a branch moves to the other region', 1, async () => {
      const b = pick(BRANCHES);
      const to = REGIONS.find((r) => r !== parentOf.get(b))!;
      parentOf.set(b, to);
      await ingest([memberEvent(b, to, nextVersion(`member:${b}`))], [`member:${b}`]);
    }],
    ['ingest: an advisor is deleted or comes back', 1, async () => {
      const a = pick(ADVISORS);
      if (deletedMembers.has(a)) {
        await ingest([memberEvent(a, branchOfAdvisor(a), nextVersion(`member:${a}`))], [`member:${a}`]);
        deletedMembers.delete(a);
      } else {
        deletedMembers.add(a);
        deletions.push({ resource: `member:${a}`, start: Date.now() });
        await ingest([envelope('MemberDeleted', { memberId: a, version: nextVersion(`member:${a}`) })], [`member:${a}`]);
      }
    }],
    ['ingest: entity links', 2, async () => {
      const e = 1 + Math.floor(random() * 12);
      const linked = entityLinks.get(e);
      const version = nextVersion(`entity:Account:${e}`);
      if (linked != null && random() < 0.5) {
        entityLinks.set(e, null);
        await ingest([envelope('EntityUnlinked', { entityType: 'Account', entityId: e, version })], [`group:${linked}`]);
      } else {
        const g = pick(households);
        entityLinks.set(e, g);
        await ingest([envelope('EntityLinked', { entityType: 'Account', entityId: e, contactGroupId: g, version })], [`group:${g}`]);
      }
    }],
    ['ingest: a contact comes and goes', 2, async () => {
      if (transient.length >= 6 || (transient.length > 0 && random() < 0.4)) {
        const c = transient.splice(Math.floor(random() * transient.length), 1)[0]!;
        const start = Date.now();
        deletions.push({ resource: `contact:${c}`, start });
        // A group the contact leaves empty goes with it (the soak's own groups never have entities linked).
        const emptied = [...groups].filter(([, g]) => g.contacts.has(c) && g.contacts.size === 1).map(([id]) => id);
        for (const g of emptied) deletions.push({ resource: `group:${g}`, start });
        const uid = uidOfContact.get(c)!;
        await ingest([envelope('ContactDeleted', { contactUid: uid, version: nextVersion(`contact:${uid}`) })], [`contact:${c}`, ...groupsOf(c)]);
        for (const g of groups.values()) g.contacts.delete(c);
        for (const g of emptied) groups.delete(g);
      } else {
        const uid = uidOf(1000 + seq++);
        const results = await ingest([contactEvent(uid, nextVersion(`contact:${uid}`))]);
        const id = results?.[0]?.contactId;
        if (id !== undefined) {
          uidOfContact.set(id, uid);
          transient.push(id);
        }
      }
    }],
  ];
  const totalWeight = ops.reduce((sum, [, w]) => sum + w, 0);
  const pickOp = () => {
    let r = random() * totalWeight;
    for (const op of ops) if ((r -= op[1]) < 0) return op;
    return ops[0]!;
  };

  // ---- run (and the outage, when asked)

  const startedAt = Date.now();
  const plannedEnd = startedAt + options.seconds * 1000;
  const latestEnd = startedAt + options.seconds * 4000;
  const seedCalls = calls.length;
  const seedRequests = apiRequests;
  const busy = () => {
    const now = Date.now();
    return now < plannedEnd || (now < latestEnd && apiRequests - seedRequests < (options.minRequests ?? 0));
  };
  let outage: { stoppedAt: number; restartedAt?: number; recoveredAt?: number } | undefined;
  const chaos = (async () => {
    if (!options.outage) return;
    if (!server.dynamo) throw new Error('an outage needs a soak server with its own DynamoDB Local');
    await sleep(options.outage.atSeconds * 1000);
    log(`stopping DynamoDB Local for ${options.outage.forSeconds} s`);
    outage = { stoppedAt: Date.now() };
    await server.dynamo.stop();
    await sleep(options.outage.forSeconds * 1000);
    await server.dynamo.start();
    outage.restartedAt = Date.now();
    // The time until the service answers again, asked as a client would (every 25 ms).
    for (;;) {
      const probe = await call('probe after restart', 'GET', `/v1.0/contactgroups/${households[0]}`, { resources: [`group:${households[0]}`] });
      if (probe.status === 200) break;
      await sleep(25);
    }
    outage.recoveredAt = Date.now();
    log(`DynamoDB Local back; the service answered again after ${outage.recoveredAt - outage.restartedAt} ms`);
  })();
  const workers = Array.from({ length: concurrency }, async () => {
    while (busy()) {
      const [, , run] = pickOp();
      const before = calls.length;
      await run();
      // A client honours Retry-After.
      const last = calls.slice(before).find((c) => c.status === 503);
      if (last) await sleep(Math.min(1000, plannedEnd - Date.now()));
    }
  });
  await Promise.all([...workers, chaos]);
  const ranMs = Date.now() - startedAt;
  log(`ran ${(ranMs / 1000).toFixed(1)} s, ${calls.length - seedCalls} requests`);

  // Dead-lettered batches are redriven (as the runbook says), until they apply.
  for (const events of deadLetters.splice(0)) {
    ingestStats.redriven++;
    if (!(await ingest(events))) log('a redriven batch failed again');
  }

  // ---- accounting

  const inOutage = (c: Call) => outage !== undefined && c.end >= outage.stoppedAt && c.start <= (outage.recoveredAt ?? Number.POSITIVE_INFINITY);
  const overlaps = (a: Call, b: { start: number; end: number }) => a.start <= b.end && b.start <= a.end;
  const timed = calls.slice(seedCalls).filter((c) => c.op !== 'ingest');
  const byStatus: Record<string, number> = {};
  const byOperation: Record<string, Record<string, number>> = {};
  const unexplained: Unexplained[] = [];
  let serverErrors = 0;
  let unavailableAnswers = 0;
  let otherServerErrors = 0;
  const conflicts = { total: 0, explained: 0, byOutage: 0 };
  const refusals = { total: 0, explained: 0 };
  for (const c of timed) {
    byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    const op = (byOperation[c.op] ??= {});
    op[c.status] = (op[c.status] ?? 0) + 1;
    if (c.status >= 200 && c.status < 300) continue;
    if (c.status >= 500) {
      if (inOutage(c) && c.status === 503) unavailableAnswers++;
      else if (inOutage(c)) otherServerErrors++;
      else serverErrors++;
      if (!(inOutage(c) && c.status === 503)) unexplained.push({ op: c.op, status: c.status, subCode: c.subCode, resources: c.resources });
      continue;
    }
    if (c.status === 409 || c.status === 412) {
      conflicts.total++;
      const raced = calls.some((o) => o !== c && o.write && overlaps(c, o) && o.resources.some((r) => c.resources.includes(r) && (c.status === 409 || r.startsWith('group:'))));
      if (raced) conflicts.explained++;
      else if (inOutage(c)) conflicts.byOutage++;
      else unexplained.push({ op: c.op, status: c.status, subCode: c.subCode, resources: c.resources });
      continue;
    }
    if ((c.status === 404 || c.status === 422) && c.subCode && NOT_FOUND.has(c.subCode)) {
      refusals.total++;
      if (deletions.some((d) => d.start <= c.end && c.resources.includes(d.resource))) refusals.explained++;
      else unexplained.push({ op: c.op, status: c.status, subCode: c.subCode, resources: c.resources });
      continue;
    }
    unexplained.push({ op: c.op, status: c.status, subCode: c.subCode, resources: c.resources });
  }
  for (const reason of rejections) unexplained.push({ op: 'ingest (rejected)', status: 0, subCode: reason, resources: [] });

  // Replays and reordering never win: every aggregate holds the newest version sent.
  const versionsBehind: string[] = [];
  for (const [aggregate, sent] of versions) {
    const [kind, ...rest] = aggregate.split(':');
    const id = rest.join(':');
    const stored =
      kind === 'contact'
        ? (await getItem<ContactUidItem>(server.db, keys.contactUid(id)))?.version
        : kind === 'member'
          ? (await getItem<MemberItem>(server.db, keys.member(Number(id))))?.version
          : (await getItem<EntityItem>(server.db, keys.entity(rest[0]!, Number(rest[1]))))?.version;
    if (stored !== sent) versionsBehind.push(`${aggregate}: stored ${stored ?? 'nothing'}, newest sent ${sent}`);
  }

  // The lookups' index is projected from the stream within seconds: judged once it has caught up.
  await server.projected();
  // The table judged as if a while had passed: a reorganisation or creation still in flight would show as abandoned.
  const verified: VerifyResult = await verifyTable(server.db, { now: () => Date.now() + 10 * 60_000 });
  return {
    seconds: Math.round(ranMs / 100) / 10,
    concurrency,
    requests: timed.length,
    byStatus,
    byOperation,
    serverErrors,
    conflicts,
    refusals,
    unexplained,
    unexpectedErrors: [...server.unexpectedErrors()],
    ingest: ingestStats,
    versionsBehind,
    versionsChecked: versions.size,
    ...(outage?.restartedAt !== undefined && {
      outage: {
        stoppedAfterMs: outage.stoppedAt - startedAt,
        downMs: outage.restartedAt - outage.stoppedAt,
        unavailableAnswers,
        recoveryMs: outage.recoveredAt! - outage.restartedAt,
        otherServerErrors,
      },
    }),
    verify: {
      scanned: verified.scanned,
      disagreements: verified.disagreements,
      tolerated: verified.tolerated,
      byKind: countByKind(verified.findings),
      findings: verified.findings.slice(0, 20).map((f) => `${f.severity} ${f.check}/${f.kind} ${f.subject.pk}|${f.subject.sk}${f.ref ? ` (${f.ref})` : ''}: ${f.message}`),
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The report as the command prints it. */
export function formatSoakReport(r: SoakReport): string {
  const lines = [
    `soak: ${r.seconds} s, ${r.concurrency} concurrent clients, ${r.requests} API requests (${(r.requests / r.seconds).toFixed(0)}/s)`,
    `  by status: ${Object.entries(r.byStatus).map(([s, n]) => `${s}: ${n}`).join(', ')}`,
    ...Object.entries(r.byOperation)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([op, statuses]) => `    ${op.padEnd(34)} ${Object.entries(statuses).map(([s, n]) => `${s}×${n}`).join(' ')}`),
    `  5xx outside an outage: ${r.serverErrors}`,
    `  409/412: ${r.conflicts.total} (${r.conflicts.explained} by a concurrent write on a shared item, ${r.conflicts.byOutage} by the outage)`,
    `  404/422 not found: ${r.refusals.total} (${r.refusals.explained} by a deletion of what they name)`,
    `  ingest: ${r.ingest.batches} batches, ${r.ingest.events} events: ${r.ingest.applied} applied, ${r.ingest.ignored} ignored (replays, reordering), ${r.ingest.rejected} rejected; ${r.ingest.redeliveries} redeliveries, ${r.ingest.deadLettered} dead-lettered, ${r.ingest.redriven} redriven`,
    `  versions: ${r.versionsChecked} aggregates, ${r.versionsBehind.length} behind the newest version sent`,
    ...(r.outage
      ? [`  outage: DynamoDB Local stopped after ${(r.outage.stoppedAfterMs / 1000).toFixed(1)} s for ${(r.outage.downMs / 1000).toFixed(1)} s: ${r.outage.unavailableAnswers} answers 503, ${r.outage.otherServerErrors} other 5xx; the service answered again ${r.outage.recoveryMs} ms after it was back`]
      : []),
    `  verify-table: ${r.verify.scanned} items, ${r.verify.disagreements} disagreement(s), ${r.verify.tolerated} tolerated${Object.keys(r.verify.byKind).length ? ` (${Object.entries(r.verify.byKind).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`,
    ...r.verify.findings.map((f) => `    ${f}`),
    `  unexplained answers: ${r.unexplained.length}`,
    ...r.unexplained.slice(0, 20).map((u) => `    ${u.op} → ${u.status} ${u.subCode ?? ''} [${u.resources.join(', ')}]`),
    ...(r.unexpectedErrors.length > 0 ? [`  unexpected errors the functions logged: ${r.unexpectedErrors.length}`, ...r.unexpectedErrors.slice(0, 10).map((e) => `    ${e}`)] : []),
  ];
  return lines.join('\n');
}

/** Whether the run passed: no 5xx outside the outage, every answer explained, versions current, no disagreement. */
export const soakPassed = (r: SoakReport) => r.serverErrors === 0 && r.unexplained.length === 0 && r.versionsBehind.length === 0 && r.verify.disagreements === 0 && (r.outage?.otherServerErrors ?? 0) === 0;

export { identityOf as soakIdentityOf };
export type { Db };
