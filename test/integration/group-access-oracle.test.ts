// Property-based oracle for the access checks: random worlds (member forests up to depth 10 with deep chains, wide
// fan-outs and late parents; contacts, assignments, groups, memberships, entity links) built and changed through
// the real write paths only, and every answer of the four checks and the batch compared with a brute-force
// evaluator over the raw world description kept here (never read from the store).
//
// ORACLE_RUNS sets the number of generated worlds (default 40; the full run uses 1000), ORACLE_SEED replays one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestDb, type TestDb } from '../support/db.js';
import { ev } from '../support/events.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { createGroup, deleteGroup, modifyGroup } from '../../lib/use-cases/groups.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import { checkAccess, checkAccessBatch, type AccessCheckInput } from '../../lib/use-cases/group-access.js';
import { lookup } from '../../lib/use-cases/lookups.js';
import { projectChanges } from '../../lib/use-cases/reach-projection.js';
import { startStreamTail, type StreamTail } from '../../infra/local/stream-tail.js';
import { loadSettings } from '../../lib/config.js';
import { DomainError } from '../../lib/domain/errors.js';
import {
  ADMIN,
  ENTITY_TYPES,
  P,
  UNKNOWN_ID,
  World,
  ancestorsOf,
  callerFor,
  expectedAccess,
  expectedReach,
  expectedSingle,
  forestValid,
  liveGroup,
  now,
  replay,
  type CallerKind,
  type ContactModel,
  type EntityModel,
  type GroupModel,
  type MemberModel,
  type Status,
  type Subject,
  type Target,
} from '../support/oracle/model.js';
import { initialParent, worldSpec, type Change, type WorldSpec } from '../support/oracle/generators.js';

const RUNS = Number(process.env.ORACLE_RUNS ?? 40);
const SEED = process.env.ORACLE_SEED === undefined ? undefined : Number(process.env.ORACLE_SEED);

// ---------------------------------------------------------------- driving the real write paths

let db: TestDb;
let execution = 0;

class Run {
  readonly w = new World();
  readonly base: number;
  private identityGeneration = 0;
  private nextMember = 0;
  /** The big branch's head (its advisors are in the world; every tenth one's identity is among the checked subjects). */
  branchHead: number | undefined;
  readonly log: string[] = [];

  constructor(readonly spec: WorldSpec) {
    this.base = 100_000 + ++execution * 1_000;
  }

  private guard = () => new AccessGuard(db, { dataSegregation: false }, ADMIN);
  private pick = <T>(list: readonly T[], s: number): T | undefined => (list.length === 0 ? undefined : list[s % list.length]);
  newIdentity(memberId: number) {
    return `${String(++this.identityGeneration).padStart(8, '0')}-0000-4000-8000-${String(memberId).padStart(12, '0')}`;
  }
  memberId = (k: number) => this.base + k;

  /** MemberUpserted: the world predicts applied (a valid forest) or rejected (cycle, depth). */
  async upsertMember(next: MemberModel, checked = true) {
    const version = (this.w.memberVersions.get(next.id) ?? 0) + 1;
    this.w.memberVersions.set(next.id, version);
    const hypothetical = new Map(this.w.members).set(next.id, next);
    const expected = forestValid(hypothetical) ? 'applied' : 'rejected';
    if (checked || this.w.identities.has(next.identity)) this.w.identities.add(next.identity);
    const result = await ingestEvent(
      db,
      ev.memberUpserted({
        memberId: next.id,
        identityId: next.identity,
        parentMemberId: next.parent,
        participantUid: next.participant,
        isActive: next.active,
        version,
      }),
      'oracle',
    );
    this.log.push(`member ${next.id} parent ${next.parent} active ${next.active} → ${result.status}`);
    stats[`member ${result.status}`] = (stats[`member ${result.status}`] ?? 0) + 1;
    expect(result.status, `${result.reason} (${this.log.join('; ')})`).toBe(expected);
    if (expected === 'applied') this.w.members = hypothetical;
  }

  async deleteMember(m: MemberModel) {
    const version = this.w.memberVersions.get(m.id)! + 1;
    this.w.memberVersions.set(m.id, version);
    const result = await ingestEvent(db, ev.memberDeleted(m.id, version), 'oracle');
    expect(result.status).toBe('applied');
    this.w.members.set(m.id, { ...m, deleted: true });
    for (const c of this.w.contacts) c.assignees.delete(m.id);
    this.log.push(`delete member ${m.id}`);
  }

  async upsertContact(c: ContactModel) {
    c.version++;
    const result = await ingestEvent(db, ev.contactUpserted({ contactUid: c.uid, participantUids: [...c.participants], version: c.version }), 'oracle');
    expect(result.status).toBe('applied');
    c.id = result.contactId!;
    this.w.contactIds.add(c.id);
  }

  async deleteContact(c: ContactModel) {
    c.version++;
    const result = await ingestEvent(db, ev.contactDeleted(c.uid, c.version), 'oracle');
    expect(result.status).toBe('applied');
    const id = c.id!;
    c.id = undefined;
    c.assignees.clear();
    for (const g of this.w.liveGroups()) {
      if (!g.contacts.delete(id)) continue;
      const linked = this.w.entities.some((e) => e.group === g.id);
      if (g.contacts.size === 0 && !linked) g.deleted = true;
    }
    this.log.push(`delete contact ${id}`);
  }

  async assign(c: ContactModel, members: number[]) {
    await changeAssignments(db, c.id!, () => members, now);
    c.assignees = new Set(members);
    this.log.push(`assign ${c.id} [${members}]`);
  }

  /** Entries → distinct live contacts with statuses (the first one owns a creation). */
  memberships(list: readonly { c: number; s: Status }[]): Map<number, Status> {
    const out = new Map<number, Status>();
    for (const { c, s } of list) {
      const contact = this.pick(this.w.liveContacts(), c);
      if (contact && !out.has(contact.id!)) out.set(contact.id!, s);
    }
    return out;
  }

  async createGroup(contacts: Map<number, Status>) {
    if (contacts.size === 0) return;
    const list = [...contacts].map(([contactId, systemStatus]) => ({ contactId, systemStatus }));
    const id = await createGroup(db, this.guard(), { contactId: list[0]!.contactId, group: { groupName: `G${this.base}`, contacts: list }, now });
    this.w.groups.set(id, { id, contacts: new Map(contacts), deleted: false });
    this.w.groupIds.add(id);
    this.log.push(`create group ${id} ${JSON.stringify(list)}`);
  }

  async modifyGroup(g: GroupModel, contacts: Map<number, Status>) {
    const list = [...contacts].map(([contactId, systemStatus]) => ({ contactId, systemStatus }));
    const attempt = modifyGroup(db, this.guard(), { groupId: g.id, group: { contacts: list }, now });
    this.log.push(`modify group ${g.id} ${JSON.stringify(list)}`);
    if (contacts.size === 0) {
      await expect(attempt).rejects.toMatchObject({ subCode: 'GroupMustHaveContact' });
      return;
    }
    await attempt;
    g.contacts = new Map(contacts);
  }

  async deleteGroup(g: GroupModel) {
    const attempt = deleteGroup(db, this.guard(), { groupId: g.id });
    this.log.push(`delete group ${g.id}`);
    if (this.w.entities.some((e) => e.group === g.id)) {
      await expect(attempt).rejects.toMatchObject({ subCode: 'GroupHasLinkedEntities' });
      return;
    }
    await attempt;
    g.deleted = true;
  }

  async link(e: EntityModel, groupId: number) {
    e.version++;
    const result = await ingestEvent(db, ev.entityLinked(e.type, e.id, groupId, e.version), 'oracle');
    const live = liveGroup(this.w, groupId) !== undefined;
    expect(result.status).toBe(live ? 'applied' : 'rejected');
    if (live) e.group = groupId;
    this.log.push(`link ${e.type} ${e.id} → ${groupId} (${result.status})`);
  }

  async unlink(e: EntityModel) {
    e.version++;
    const result = await ingestEvent(db, ev.entityUnlinked(e.type, e.id, e.version), 'oracle');
    expect(result.status).toBe('applied');
    e.group = null;
    this.log.push(`unlink ${e.type} ${e.id}`);
  }

  async build() {
    const { spec } = this;
    const n = spec.memberCount;
    this.nextMember = n;
    const order = Array.from({ length: n }, (_, k) => k);
    if (spec.order === 'reversed') order.reverse();
    if (spec.order === 'shuffled') order.sort((a, b) => spec.shuffleKeys[a]! - spec.shuffleKeys[b]! || a - b);
    for (const k of order) {
      const parent = initialParent(spec, k);
      await this.upsertMember({
        id: this.memberId(k),
        parent: parent === undefined ? undefined : this.memberId(parent),
        identity: this.newIdentity(this.memberId(k)),
        active: spec.inactive[k] !== 0,
        participant: P[spec.memberParticipants[k]!]!,
        deleted: false,
      });
    }
    if (spec.bigBranch) {
      const under = this.pick(this.w.liveMembers(), spec.bigBranch.under)!.id;
      const head = this.memberId(this.nextMember++);
      this.branchHead = head;
      await this.upsertMember({ id: head, parent: under, identity: this.newIdentity(head), active: true, participant: P[0], deleted: false });
      for (let i = 0; i < spec.bigBranch.size; i++) {
        const id = this.memberId(this.nextMember++);
        await this.upsertMember({ id, parent: head, identity: this.newIdentity(id), active: true, participant: P[i % 2]!, deleted: false }, i % 10 === 0);
      }
      stats['big branch'] = (stats['big branch'] ?? 0) + 1;
    }
    for (const [i, c] of spec.contacts.entries()) {
      const contact: ContactModel = { uid: `50000000-0000-4000-8000-${String(this.base + i).padStart(12, '0')}`, version: 0, id: undefined, participants: new Set(c.participants.map((p) => P[p]!)), assignees: new Set() };
      this.w.contacts.push(contact);
      await this.upsertContact(contact);
    }
    for (const [i, c] of spec.contacts.entries()) {
      const live = this.w.liveMembers().map((m) => m.id);
      const members = [...new Set(c.assignees.map((s) => this.pick(live, s)!).filter((m) => m !== undefined))];
      if (members.length > 0) await this.assign(this.w.contacts[i]!, members);
    }
    for (const g of spec.groups) await this.createGroup(this.memberships(g));
    for (const [i, e] of spec.entities.entries()) {
      const entity: EntityModel = { type: e.type, id: this.base + i + 1, version: 0, group: null };
      this.w.entities.push(entity);
      const group = e.g === null ? undefined : this.pick(this.w.liveGroups(), e.g);
      if (group) await this.link(entity, group.id);
    }
    // An entity that is never linked, named by the checks.
    this.w.entities.push({ type: 'Account', id: this.base + 999, version: 0, group: null });
  }

  async apply(c: Change) {
    const w = this.w;
    const live = w.liveMembers();
    switch (c.kind) {
      case 'move': {
        const m = this.pick(live, c.m);
        if (!m) return;
        const parent = c.p === null ? undefined : this.pick(live, c.p)?.id;
        return this.upsertMember({ ...m, parent });
      }
      case 'toggleActive': {
        const m = this.pick(live, c.m);
        return m && this.upsertMember({ ...m, active: !m.active });
      }
      case 'reidentify': {
        const m = this.pick(live, c.m);
        return m && this.upsertMember({ ...m, identity: this.newIdentity(m.id) });
      }
      case 'deleteMember': {
        const m = this.pick(live, c.m);
        return m && this.deleteMember(m);
      }
      case 'addMember': {
        const id = this.memberId(this.nextMember++);
        const parent = c.p === null ? undefined : this.pick(live, c.p)?.id;
        return this.upsertMember({ id, parent, identity: this.newIdentity(id), active: true, participant: P[id % 2]!, deleted: false });
      }
      case 'assign': {
        const contact = this.pick(w.liveContacts(), c.c);
        if (!contact) return;
        const added = c.ms.map((s) => this.pick(live, s)?.id).filter((m): m is number => m !== undefined);
        return this.assign(contact, [...new Set([...contact.assignees, ...added])]);
      }
      case 'unassign': {
        const contact = this.pick(w.liveContacts(), c.c);
        if (!contact || contact.assignees.size === 0) return;
        const gone = this.pick([...contact.assignees], c.m);
        return this.assign(contact, [...contact.assignees].filter((m) => m !== gone));
      }
      case 'modifyGroup': {
        const g = this.pick(w.liveGroups(), c.g);
        return g && this.modifyGroup(g, this.memberships(c.entries));
      }
      case 'setStatus': {
        const g = this.pick(w.liveGroups(), c.g);
        const contactId = g && this.pick([...g.contacts.keys()], c.c);
        if (!g || contactId === undefined) return;
        return this.modifyGroup(g, new Map(g.contacts).set(contactId, c.s));
      }
      case 'createGroup':
        return this.createGroup(this.memberships(c.entries));
      case 'deleteGroup': {
        const g = this.pick(w.liveGroups(), c.g);
        return g && this.deleteGroup(g);
      }
      case 'link': {
        const e = this.pick(w.entities, c.e)!;
        // Now and then a deleted group: the link is rejected.
        const g = this.pick([...w.groups.keys()], c.g);
        return g !== undefined && e !== undefined ? this.link(e, g) : undefined;
      }
      case 'unlink': {
        const e = this.pick(w.entities, c.e);
        return e && this.unlink(e);
      }
      case 'deleteContact': {
        const contact = this.pick(w.liveContacts(), c.c);
        return contact && this.deleteContact(contact);
      }
      case 'recreateContact': {
        const contact = this.pick(w.contacts.filter((x) => x.id === undefined), c.c);
        return contact && this.upsertContact(contact);
      }
      case 'addParticipant': {
        const contact = this.pick(w.liveContacts(), c.c);
        if (!contact) return;
        contact.participants.add(P[c.p]!);
        return this.upsertContact(contact);
      }
      case 'moveBranch': {
        const head = this.branchHead === undefined ? undefined : w.members.get(this.branchHead);
        if (!head || head.deleted) return;
        // Now and then below one of its own advisors: a cycle, rejected whole.
        const parent = c.p === null ? undefined : this.pick(live, c.p)?.id;
        stats['branch moves'] = (stats['branch moves'] ?? 0) + 1;
        return this.upsertMember({ ...head, parent });
      }
      case 'deleteBranchHead': {
        const head = this.branchHead === undefined ? undefined : w.members.get(this.branchHead);
        return head && !head.deleted ? this.deleteMember(head) : undefined;
      }
    }
  }

  /** Every subject × every target, known or not. */
  pairs(): { s: Subject; t: Target }[] {
    const subjects: Subject[] = [
      ...[...this.w.contactIds].map((contactId) => ({ contactId })),
      ...[...this.w.identities, `ffffffff-0000-4000-8000-${String(this.base).padStart(12, '0')}`].map((identityId) => ({ identityId })),
    ];
    const targets: Target[] = [
      ...[...this.w.groupIds].map((contactGroupId) => ({ contactGroupId })),
      ...this.w.entities.map((e) => ({ entityType: e.type, entityId: e.id })),
    ];
    return subjects.flatMap((s) => targets.map((t) => ({ s, t })));
  }

  /** The batch (admin) over every pair, 100 checks a request, against the evaluator. */
  async compareBatch(label: string) {
    const pairs = this.pairs();
    const mismatches: string[] = [];
    for (let i = 0; i < pairs.length; i += 100) {
      const chunk = pairs.slice(i, i + 100);
      const { results } = await checkAccessBatch(db, { dataSegregation: false }, ADMIN, chunk.map(({ s, t }) => ({ ...s, ...t }) as AccessCheckInput), { explain: true });
      chunk.forEach(({ s, t }, j) => {
        const expected = expectedAccess(this.w, s, t) ?? false;
        if (expected) stats.granted = (stats.granted ?? 0) + 1;
        const { hasAccess, reason } = results[j]!;
        if (hasAccess !== expected) mismatches.push(`${JSON.stringify({ ...s, ...t })}: got ${hasAccess}`);
        // Every reason replays against the raw world to the answer it came with.
        const replayed = reason && replay(this.w, s, t, reason);
        if (replayed !== hasAccess) mismatches.push(`${JSON.stringify({ ...s, ...t })}: reason ${JSON.stringify(reason)} replays to ${replayed}, answer ${hasAccess}`);
        stats[`reason ${reason?.code}`] = (stats[`reason ${reason?.code}`] ?? 0) + 1;
      });
    }
    checkpoints++;
    answers += pairs.length;
    expect(mismatches, `${label}\n${this.log.join('\n')}`).toEqual([]);
  }

  /**
   * Lookups (SPEC 5.6) against the evaluator: once the reach index has caught up with the stream, a full cursor walk
   * (small pages, so cursors are exercised) for a sample of subjects returns exactly the evaluator's set.
   */
  async compareLookups(label: string, sample: number) {
    await tail.caughtUp();
    const mismatches: string[] = [];
    const settings = { ...loadSettings({}), dataSegregation: false };
    const walk = async (subject: { identityId: string } | { contactId: number }, target: Parameters<typeof lookup>[3]['target']) => {
      const items: unknown[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 200; i++) {
        const page = await lookup(db, settings, ADMIN, { subject, target, pageSize: 3, cursor, path: 'oracle' });
        items.push(...page.items);
        if (!page.nextCursor) return items;
        cursor = page.nextCursor;
      }
      throw new Error('walk did not end');
    };
    const live = this.w.liveMembers().filter((m) => this.w.identities.has(m.identity));
    const members = live.filter((_, i) => (i * 7 + execution) % Math.max(1, Math.ceil(live.length / sample)) === 0).slice(0, sample);
    for (const member of members) {
      const expected = expectedReach(this.w, member);
      const contacts = await walk({ identityId: member.identity }, { kind: 'contact' });
      const groups = await walk({ identityId: member.identity }, { kind: 'group' });
      const got = { contacts, groups: groups.map((g) => (g as { contactGroupId: number }).contactGroupId) };
      const want = { contacts: expected.contacts, groups: expected.groups };
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`member ${member.id}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      for (const type of ENTITY_TYPES) {
        const entities = (await walk({ identityId: member.identity }, { kind: 'entity', entityType: type })).map((e) => (e as { entityId: number }).entityId);
        const wantEntities = this.w.entities.filter((e) => e.type === type && expected.groups.includes(e.group ?? -1)).map((e) => e.id).sort((a, b) => a - b);
        if (JSON.stringify(entities) !== JSON.stringify(wantEntities)) mismatches.push(`member ${member.id} ${type}: got ${entities}, expected ${wantEntities}`);
      }
      lookupAnswers += 6;
    }
    for (const contact of this.w.liveContacts().slice(0, sample)) {
      for (const type of ENTITY_TYPES) {
        const got = (await walk({ contactId: contact.id! }, { kind: 'entity', entityType: type })).map((e) => (e as { entityId: number }).entityId);
        const groups = this.w.liveGroups().filter((g) => g.contacts.get(contact.id!) === 'Active').map((g) => g.id);
        const want = this.w.entities.filter((e) => e.type === type && groups.includes(e.group ?? -1)).map((e) => e.id).sort((a, b) => a - b);
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`contact ${contact.id} ${type}: got ${got}, expected ${want}`);
      }
      lookupAnswers += 4;
    }
    expect(mismatches, `${label}\n${this.log.join('\n')}`).toEqual([]);
  }

  /** Each single check for every pair, with callers of every kind (admin, segregated application, self, other). */
  async compareSingles() {
    const kinds: CallerKind[] = ['admin', 'segregated', 'self', 'other'];
    const pairs = this.pairs();
    const mismatches: string[] = [];
    const pending = pairs.map(({ s, t }, i) => async () => {
      const kind = kinds[(i + execution) % kinds.length]!;
      const expected = expectedSingle(this.w, kind, s, t);
      let got: string;
      try {
        got = String((await checkAccess(db, { dataSegregation: kind === 'segregated' }, callerFor(kind, s), { ...s, ...t } as AccessCheckInput)).hasAccess);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        got = `${error.status} ${error.subCode}`;
      }
      if (got !== expected) mismatches.push(`${kind} ${JSON.stringify({ ...s, ...t })}: expected ${expected}, got ${got}`);
    });
    // A few checks in flight at once: each still makes its own one or two round trips.
    for (let i = 0; i < pending.length; i += 8) await Promise.all(pending.slice(i, i + 8).map((f) => f()));
    answers += pairs.length;
    expect(mismatches, this.log.join('\n')).toEqual([]);
  }

  /** Segregated batch: answers for the participant's own (or unknown) subjects; one foreign subject refuses all. */
  async compareSegregatedBatch() {
    const owned = (s: Subject) => expectedSingle(this.w, 'segregated', s, { contactGroupId: UNKNOWN_ID }) !== '403 SubjectNotAllowed';
    const pairs = this.pairs();
    const mine = pairs.filter(({ s }) => owned(s)).slice(0, 100);
    const settings = { dataSegregation: true };
    const caller = callerFor('segregated', { contactId: 1 });
    const { results } = await checkAccessBatch(db, settings, caller, mine.map(({ s, t }) => ({ ...s, ...t }) as AccessCheckInput));
    expect(results.map((r) => r.hasAccess)).toEqual(mine.map(({ s, t }) => expectedAccess(this.w, s, t) ?? false));
    const foreign = pairs.find(({ s }) => !owned(s));
    if (foreign) {
      const checks = [...mine.slice(0, 99), foreign].map(({ s, t }) => ({ ...s, ...t }) as AccessCheckInput);
      await expect(checkAccessBatch(db, settings, caller, checks)).rejects.toMatchObject({ status: 403, subCode: 'SubjectNotAllowed' });
    }
  }
}

let checkpoints = 0;
let answers = 0;
let lookupAnswers = 0;
/** The local stand-in for the project function: the oracle's table stream → the lookups' reach index. */
let tail: StreamTail;

/** What the generated worlds exercised (printed with the summary, so a weak generator shows). */
const stats: Record<string, number> = {};
const deepest = (w: World) => Math.max(0, ...w.liveMembers().map((m) => (ancestorsOf(w.members, m.id) as number[]).length + 1));

beforeAll(async () => {
  db = await createTestDb('crs-oracle');
  tail = await startStreamTail({ endpoint: db.endpoint, tableName: db.tableName, pollIntervalMs: 20, onChanges: async (changes) => void (await projectChanges(db, changes)) });
});

afterAll(async () => {
  await tail?.stop();
});

describe('access checks against a brute-force oracle', () => {
  it(
    `agrees on every answer in ${RUNS} random worlds`,
    async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(worldSpec, async (spec) => {
          const run = new Run(spec);
          await run.build();
          const depth = deepest(run.w);
          stats[`depth ${depth}`] = (stats[`depth ${depth}`] ?? 0) + 1;
          await run.compareBatch('after building');
          for (const [i, c] of spec.changes.entries()) {
            await run.apply(c);
            stats[c.kind] = (stats[c.kind] ?? 0) + 1;
            await run.compareBatch(`after change ${i}: ${JSON.stringify(c)}`);
          }
          await run.compareLookups('lookups after the changes', 4);
          await run.compareSingles();
          await run.compareSegregatedBatch();
        }),
        { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) },
      );
      console.log(`oracle: ${RUNS} worlds, ${checkpoints} checkpoints, ${answers} answers and ${lookupAnswers} lookup walks compared in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      console.log(`oracle coverage: ${JSON.stringify(stats)}`);
    },
    Math.max(240_000, RUNS * 8_000),
  );
});
