// Lookups (SPEC 5.6): what a subject can reach, cursor-paged by id. A page is one Query of the subject's reach rows
// (read with the subject in round 1), every row verified against the truth in round 2 (the objects themselves, read
// strongly), and — only when a copied ancestor list does not hold for the subject, or a segregated application must
// see the groups' contacts — round 3. So a page costs the same whether the subject reaches 10 objects or 100,000, and
// never returns one the subject cannot reach at the moment of the read.
import type { Db } from '../store/client.js';
import type { Settings } from '../config.js';
import { Items, readTogether, want, type ReadSet } from '../store/read-together.js';
import { hierarchyOf } from '../store/members.js';
import { activeContactIdsOf, isVisible } from '../store/groups.js';
import { reachPage, type ReachSubject } from '../store/reach.js';
import type { GroupItem, ReachItem } from '../store/items.js';
import { isAdmin, type Caller } from '../domain/caller.js';
import type { EntityType } from '../domain/catalogues.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { askRule, subjectOfParticipant, type SubjectFacts, type SubjectRef } from '../domain/group-access.js';
import { countedAssignees, isActiveMembership } from '../domain/groups.js';
import { hintedHierarchy, nearestIsSettled, nearestReached, type HierarchyFacts } from '../domain/member-hierarchy.js';
import { decodeCursor, encodeCursor, type CursorBinding } from './cursor.js';
import { subjectFacts, subjectRead } from './group-access.js';

export type LookupTarget = { kind: 'contact' } | { kind: 'group' } | { kind: 'entity'; entityType: EntityType };

export interface LookupRequest {
  subject: SubjectRef;
  target: LookupTarget;
  pageSize: number;
  cursor?: string | undefined;
  /** The request path (the cursor is bound to it). */
  path: string;
}

export type LookupItem =
  | { contactId: number; contactUid: string | null; accessType: 'Direct' | 'Hierarchy'; viaMemberId: number | null }
  | { contactGroupId: number; groupName: string | null }
  | { entityType: EntityType; entityId: number; contactGroupId: number };

export interface LookupPage<T = LookupItem> {
  items: T[];
  nextCursor: string | null;
}

const reachSubjectOf = (s: SubjectRef): ReachSubject => (s.contactId !== undefined ? { contactId: s.contactId } : { identityId: s.identityId });


export async function lookup(db: Db, settings: Pick<Settings, 'dataSegregation' | 'cursorSecret'>, caller: Caller, req: LookupRequest): Promise<LookupPage> {
  const rule = askRule(caller, req.subject, settings);
  const named = req.subject.contactId !== undefined ? { contactId: req.subject.contactId } : { identityId: req.subject.identityId };
  if (rule === 'denied') throw new ForbiddenError('SubjectNotAllowed', named);
  const binding: CursorBinding = {
    callerType: caller.type,
    callerSubject: caller.subject,
    subject: req.subject.contactId !== undefined ? `contact:${req.subject.contactId}` : `identity:${req.subject.identityId}`,
    path: req.path,
  };
  const startKey = req.cursor ? decodeCursor(settings.cursorSecret, binding, req.cursor) : undefined;

  // Round 1: the subject and the page of its rows, in parallel (a member's rows are keyed by its identity id).
  const [reads, page] = await Promise.all([
    readTogether(db, [subjectRead(req.subject)]),
    reachPage(db, reachSubjectOf(req.subject), req.target.kind, req.target.kind === 'entity' ? req.target.entityType : undefined, req.pageSize, startKey),
  ]);
  const subject = subjectFacts(req.subject, reads);
  if (!subject) {
    throw req.subject.contactId !== undefined
      ? new NotFoundError('ContactNotFound', { ids: [req.subject.contactId] })
      : new NotFoundError('IdentityNotFound', { identityId: req.subject.identityId });
  }
  if (rule === 'ownParticipant' && !subjectOfParticipant(subject, callerParticipant(caller))) throw new ForbiddenError('SubjectNotAllowed', named);
  const inactive = subject.kind === 'contact' ? subject.isActive === false : !subject.isActive;
  if (inactive) return { items: [], nextCursor: null };

  const rows = page.rows;
  const nextCursor = page.lastKey ? encodeCursor(settings.cursorSecret, binding, page.lastKey) : null;
  const items = await verify(db, caller, settings, subject, req.target, rows);
  return { items, nextCursor };
}

const callerParticipant = (caller: Caller) => (caller.type === 'contact' ? undefined : caller.participantUid);

/** The caller reads only its participant's contacts (a segregated application); everyone else reads what the subject reaches. */
const segregated = (caller: Caller, settings: Pick<Settings, 'dataSegregation'>) => !isAdmin(caller) && caller.type === 'application' && settings.dataSegregation;

/**
 * Round 2 reads the objects the rows name (and, for entities, the groups they were linked to); round 3, only if
 * needed, the assigned members' lists that no copy decides and, for a segregated application, the links of the
 * groups' active contacts. Rows that do not hold any more are dropped.
 */
async function verify(
  db: Db,
  caller: Caller,
  settings: Pick<Settings, 'dataSegregation'>,
  subject: SubjectFacts,
  target: LookupTarget,
  rows: ReachItem[],
): Promise<LookupItem[]> {
  if (rows.length === 0) return [];
  const reads = await readTogether(
    db,
    rows.flatMap((r) =>
      target.kind === 'contact'
        ? [want(Items.links, [r.contactId!])]
        : target.kind === 'group'
          ? [want(Items.group, [r.groupId!])]
          : [want(Items.entity, [{ entityType: r.entityType!, entityId: r.entityId! }]), want(Items.group, [r.groupId!])],
    ),
  );
  const groupOf = (groupId: number) => {
    const group = reads.get(Items.group, groupId);
    return isVisible(group) ? group : undefined;
  };

  // Round 3: lists no copy decides (member subjects), links of active contacts (segregated applications).
  const listsWanted = new Set<number>();
  const hinted = new Map<ReachItem, HierarchyFacts>();
  const linksWanted = new Set<number>();
  for (const row of rows) {
    const assigned = assignedFor(target, row, reads, groupOf);
    if (subject.kind === 'identity' && assigned && !assigned.members.includes(subject.memberId)) {
      // A contact's item names the nearest assigned member (viaMemberId): copies older than a change of levels do not tell it.
      const stamp = target.kind === 'contact' ? Math.max(subject.reachStamp ?? 0, subject.levelStamp ?? 0) : subject.reachStamp;
      const { facts, missing } = hintedHierarchy(assigned.members, assigned.copies, stamp);
      hinted.set(row, facts);
      // A group or an entity needs any reach; a contact's item names the nearest, which unknown lists may hold.
      const found = nearestReached(subject.memberId, assigned.members, facts);
      if (target.kind === 'contact' ? !nearestIsSettled(found, missing) : !found) for (const m of missing) listsWanted.add(m);
    }
    if (segregated(caller, settings) && target.kind !== 'contact') {
      const group = groupOf(row.groupId!);
      for (const c of group ? activeContactIdsOf(group) : []) if (!reads.has(Items.links, c)) linksWanted.add(c);
    }
  }
  await readTogether(db, [want(Items.member, listsWanted), want(Items.links, linksWanted)], reads);
  const exact = hierarchyOf(reads.pick(Items.member, listsWanted));
  const participant = callerParticipant(caller)?.toLowerCase();
  const ofParticipant = (contactId: number) => {
    const links = reads.get(Items.links, contactId);
    return links !== undefined && participant !== undefined && Object.hasOwn(links.participants, participant);
  };

  const items: LookupItem[] = [];
  for (const row of rows) {
    const facts = new Map([...(hinted.get(row) ?? []), ...exact]);
    if (target.kind === 'contact') {
      const links = reads.get(Items.links, row.contactId!);
      if (!links || subject.kind !== 'identity') continue;
      const reached = nearestReached(subject.memberId, Object.keys(links.assignees).map(Number), facts);
      if (!reached) continue;
      if (segregated(caller, settings) && !ofParticipant(links.contactId)) continue;
      items.push({ contactId: links.contactId, contactUid: row.contactUid ?? null, accessType: reached.levels === 0 ? 'Direct' : 'Hierarchy', viaMemberId: reached.levels === 0 ? null : reached.viaMemberId });
      continue;
    }
    const group = groupOf(row.groupId!);
    if (!group) continue;
    if (target.kind === 'entity') {
      const entity = reads.get(Items.entity, { entityType: row.entityType!, entityId: row.entityId! });
      if (entity?.groupId !== group.groupId) continue;
    }
    const reaches =
      subject.kind === 'contact'
        ? group.contacts.some((m) => m.contactId === subject.contactId && isActiveMembership(m))
        : nearestReached(subject.memberId, countedAssignees(group.assignees), facts) !== undefined;
    if (!reaches) continue;
    if (segregated(caller, settings) && !activeContactIdsOf(group).some(ofParticipant)) continue;
    items.push(
      target.kind === 'group'
        ? { contactGroupId: group.groupId, groupName: group.groupName ?? null }
        : { entityType: target.entityType, entityId: row.entityId!, contactGroupId: group.groupId },
    );
  }
  return items;
}

/** The members assigned to what a row names (a contact's assignees, a group's counted members) and the copies of their lists. */
function assignedFor(target: LookupTarget, row: ReachItem, reads: ReadSet, groupOf: (id: number) => GroupItem | undefined) {
  if (target.kind === 'contact') {
    const links = reads.get(Items.links, row.contactId!);
    return links && { members: Object.keys(links.assignees).map(Number), copies: links.assigneeAncestors };
  }
  const group = groupOf(row.groupId!);
  return group && { members: countedAssignees(group.assignees), copies: group.assigneeAncestors };
}
