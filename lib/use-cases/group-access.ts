// Access checks (SPEC 5.2) at the cost of key lookups: round 1 reads every subject, group and entity named (one
// strongly consistent BatchGet), round 2 the groups of linked entities. A member subject not itself assigned in the
// group is decided from the copies of the assigned members' ancestor lists kept on the group; only when a
// reorganisation changed the subject's reach after they were copied, round 3 reads the lists. Nothing read grows
// with the organisation: a check by the head of the bank reads what a check by an advisor reads. Single checks answer
// 404/403; the batch answers false for unknown ids and refuses the whole request for a subject the caller may not
// ask about.
import type { Db } from '../store/client.js';
import type { Settings } from '../config.js';
import { Items, readTogether, want, type ReadSet, type Wanted } from '../store/read-together.js';
import { isVisible } from '../store/groups.js';
import { participantUidsOf } from '../store/contacts.js';
import { getMembersMany, hierarchyOf } from '../store/members.js';
import type { GroupItem } from '../store/items.js';
import { countedAssignees } from '../domain/groups.js';
import { hintedHierarchy, nearestIsSettled, nearestReached, type HierarchyFacts } from '../domain/member-hierarchy.js';
import type { Caller } from '../domain/caller.js';
import type { EntityType } from '../domain/catalogues.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { askRule, explainGroupAccess, subjectOfParticipant, type AccessReason, type SubjectFacts, type SubjectRef } from '../domain/group-access.js';

/** One check as the API names it: a subject (contactId | identityId) and a target (contactGroupId | entity). */
export interface AccessCheckInput {
  contactId?: number | undefined;
  identityId?: string | undefined;
  contactGroupId?: number | undefined;
  entityType?: EntityType | undefined;
  entityId?: number | undefined;
}

type Target = { readonly groupId: number } | { readonly entityType: EntityType; readonly entityId: number };
interface Check {
  readonly subject: SubjectRef;
  readonly target: Target;
}

export interface AccessAnswer {
  hasAccess: boolean;
  /** With `explain`: the path that decides the answer (SPEC 5.2); the message is added by the caller's language. */
  reason?: AccessReason;
}

export interface CheckOptions {
  explain?: boolean | undefined;
}

/**
 * Direct Lambda invocations carry no JWT: IAM decides who may invoke, and the invoker is trusted as an internal
 * application with admin semantics (any subject, no segregation).
 */
export const INTERNAL_INVOKER: Caller = { type: 'application', subject: 'direct-invocation', scopes: new Set(['crs.read', 'crs.admin']) };

/** The schema guarantees exactly one subject and one target. */
function checkOf(input: AccessCheckInput): Check {
  const subject: SubjectRef = input.contactId !== undefined ? { contactId: input.contactId } : { identityId: input.identityId!.toLowerCase() };
  const target: Target =
    input.contactGroupId !== undefined ? { groupId: input.contactGroupId } : { entityType: input.entityType!, entityId: input.entityId! };
  return { subject, target };
}

/** The item a subject is read from: a contact's links, an identity. */
export const subjectRead = (s: SubjectRef): Wanted => (s.contactId !== undefined ? want(Items.links, [s.contactId]) : want(Items.identity, [s.identityId]));
const targetRead = (t: Target): Wanted => ('groupId' in t ? want(Items.group, [t.groupId]) : want(Items.entity, [t]));

/** The subject as the checks see it (SPEC 5.2 subject rules; lookups apply them too), from the items read. */
export function subjectFacts(subject: SubjectRef, reads: ReadSet): SubjectFacts | undefined {
  if (subject.contactId !== undefined) {
    const links = reads.get(Items.links, subject.contactId);
    return links && { kind: 'contact', contactId: links.contactId, participantUids: new Set(participantUidsOf(links)), isActive: links.isActive };
  }
  const identity = reads.get(Items.identity, subject.identityId);
  return (
    identity && {
      kind: 'identity',
      memberId: identity.memberId,
      isActive: identity.isActive !== false,
      participantUid: identity.participantUid,
      reachStamp: identity.reachStamp,
      levelStamp: identity.levelStamp,
    }
  );
}

/** The group a check is about: named, or linked to the named entity (undefined: none, unlinked, or not visible). */
function groupOf(target: Target, reads: ReadSet): GroupItem | undefined {
  let groupId: number | null | undefined;
  if ('groupId' in target) groupId = target.groupId;
  else groupId = reads.get(Items.entity, target)?.groupId;
  if (groupId == null) return undefined;
  const group = reads.get(Items.group, groupId);
  return isVisible(group) ? group : undefined;
}

/** Round 2: the groups of linked entities that round 1 did not already read (no request when there are none). */
async function readEntityGroups(db: Db, checks: readonly Check[], reads: ReadSet): Promise<void> {
  const missing = new Set<number>();
  for (const { target } of checks) {
    if ('groupId' in target) continue;
    const groupId = reads.get(Items.entity, target)?.groupId;
    if (groupId != null && !reads.asked(Items.group, groupId)) missing.add(groupId);
  }
  await readTogether(db, [want(Items.group, missing)], reads);
}

/**
 * What decides a member subject's hierarchy access, per check: the copies of the assigned members' ancestor lists
 * kept on the group (when they hold for that subject), else — round 3, one BatchGet for every check that needs it —
 * the lists themselves. No request when the subject is itself assigned in the group, is inactive, or the copies decide.
 */
async function readHierarchy(db: Db, checks: readonly Check[], reads: ReadSet, explain = false): Promise<(check: Check) => HierarchyFacts> {
  const wanted = new Set<number>();
  const hinted = new Map<Check, HierarchyFacts>();
  for (const check of checks) {
    const subject = subjectFacts(check.subject, reads);
    const group = groupOf(check.target, reads);
    if (subject?.kind !== 'identity' || !subject.isActive || !group) continue;
    const counted = countedAssignees(group.assignees);
    if (counted.includes(subject.memberId)) continue;
    // An explained answer names the levels too: copies older than a change of levels do not decide it.
    const stamp = explain ? Math.max(subject.reachStamp ?? 0, subject.levelStamp ?? 0) : subject.reachStamp;
    const { facts, missing } = hintedHierarchy(counted, group.assigneeAncestors, stamp);
    hinted.set(check, facts);
    // Access needs any reach; an explained answer names the nearest, which members whose lists are unknown may be.
    const found = nearestReached(subject.memberId, counted, facts);
    if (explain ? !nearestIsSettled(found, missing) : !found) for (const m of missing) wanted.add(m);
  }
  const exact = wanted.size === 0 ? new Map() : hierarchyOf(await getMembersMany(db, [...wanted]));
  return (check) => new Map([...(hinted.get(check) ?? []), ...exact]);
}

/** Round 1: every subject and target of the checks, deduplicated, in one BatchGet (chunks of 100 in parallel). */
const readSubjectsAndTargets = (db: Db, checks: readonly Check[]): Promise<ReadSet> =>
  readTogether(db, checks.flatMap((c) => [subjectRead(c.subject), targetRead(c.target)]));

const participantOf = (caller: Caller) => (caller.type === 'contact' ? undefined : caller.participantUid);
const named = (s: SubjectRef) => (s.contactId !== undefined ? { contactId: s.contactId } : { identityId: s.identityId });

/**
 * One check (the four GET endpoints). Order of refusals, so that no error reveals data of an object the caller may
 * not see: a subject the caller may never ask about → 403 before anything is read; unknown subject → 404; a
 * subject outside the application's participant (segregation) → 403; unknown group → 404; an entity without a
 * link → false.
 */
export async function checkAccess(
  db: Db,
  settings: Pick<Settings, 'dataSegregation'>,
  caller: Caller,
  input: AccessCheckInput,
  options: CheckOptions = {},
): Promise<AccessAnswer> {
  const check = checkOf(input);
  const rule = askRule(caller, check.subject, settings);
  if (rule === 'denied') throw new ForbiddenError('SubjectNotAllowed', named(check.subject));
  const reads = await readSubjectsAndTargets(db, [check]);
  const subject = subjectFacts(check.subject, reads);
  if (!subject) {
    throw check.subject.contactId !== undefined
      ? new NotFoundError('ContactNotFound', { ids: [check.subject.contactId] })
      : new NotFoundError('IdentityNotFound', { identityId: check.subject.identityId });
  }
  if (rule === 'ownParticipant' && !subjectOfParticipant(subject, participantOf(caller))) {
    throw new ForbiddenError('SubjectNotAllowed', named(check.subject));
  }
  if ('groupId' in check.target && !groupOf(check.target, reads)) throw new NotFoundError('GroupNotFound', { groupId: check.target.groupId });
  await readEntityGroups(db, [check], reads);
  const hierarchyFor = await readHierarchy(db, [check], reads, options.explain);
  return answer(subject, check, reads, hierarchyFor(check), options);
}

/**
 * Up to 100 checks in at most three sequential round trips, answers in request order. An unknown subject, group or entity
 * answers false; a subject the caller may not ask about refuses the whole request (403, listing the check indexes).
 */
export async function checkAccessBatch(
  db: Db,
  settings: Pick<Settings, 'dataSegregation'>,
  caller: Caller,
  inputs: readonly AccessCheckInput[],
  options: CheckOptions = {},
): Promise<{ results: AccessAnswer[] }> {
  const checks = inputs.map(checkOf);
  const rules = checks.map((c) => askRule(caller, c.subject, settings));
  const denied = rules.flatMap((r, i) => (r === 'denied' ? [i] : []));
  if (denied.length > 0) throw new ForbiddenError('SubjectNotAllowed', { checks: denied });

  const reads = await readSubjectsAndTargets(db, checks);
  const subjects = checks.map((c) => subjectFacts(c.subject, reads));
  const refused = rules.flatMap((r, i) => {
    const subject = subjects[i];
    return r === 'ownParticipant' && subject && !subjectOfParticipant(subject, participantOf(caller)) ? [i] : [];
  });
  if (refused.length > 0) throw new ForbiddenError('SubjectNotAllowed', { checks: refused });

  await readEntityGroups(db, checks, reads);
  const hierarchyFor = await readHierarchy(db, checks, reads, options.explain);
  return { results: checks.map((c, i) => answer(subjects[i], c, reads, hierarchyFor(c), options)) };
}

/**
 * The answer of one check (with its reason when asked: no extra read, everything it names was read for the check).
 * Inside a batch an unknown subject or group answers false: a contact is then "not a member", an identity reaches
 * "no accessible contact".
 */
function answer(subject: SubjectFacts | undefined, check: Check, reads: ReadSet, hierarchy: HierarchyFacts, options: CheckOptions): AccessAnswer {
  const target = check.target;
  const group = groupOf(target, reads) ?? ('groupId' in target ? { groupId: target.groupId, contacts: [], assignees: {} } : undefined);
  if (!subject) {
    const reason: AccessReason =
      check.subject.contactId !== undefined
        ? { code: group ? 'NotAMember' : 'EntityNotLinked', contactId: check.subject.contactId, ...(group && { contactGroupId: group.groupId }) }
        : { code: group ? 'NoAccessibleContact' : 'EntityNotLinked', ...(group && { contactGroupId: group.groupId }) };
    return options.explain ? { hasAccess: false, reason } : { hasAccess: false };
  }
  const { hasAccess, reason } = explainGroupAccess(subject, group, hierarchy);
  return options.explain ? { hasAccess, reason } : { hasAccess };
}
