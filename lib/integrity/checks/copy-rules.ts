// Copies of assigned members' ancestor lists (kept on contacts' links and on groups): what a copy may and may not be,
// and the one-copy repair both holders share.
import type { Key } from '../../store/keys.js';
import { keys } from '../../store/keys.js';
import { cond, type Condition } from '../../store/expressions.js';
import { checkAction, transact, type WriteAction } from '../../store/transactions.js';
import { hintOf, isLive, revOf } from '../../store/members.js';
import type { MemberItem } from '../../store/items.js';
import type { AncestryHint } from '../../domain/member-hierarchy.js';
import type { Finding, Repair } from '../finding.js';
import { isLocked, placements } from './hierarchy-truth.js';
import type { TableSnapshot } from '../snapshot.js';

export type CopyVerdict =
  /** Nothing to judge: the member is gone, deleted, or a reorganisation is rewriting it. */
  | 'skip'
  | 'ok'
  /** No copy of a live member with a logical time: allowed (a writer skips the copy of a locked member), costs a read. */
  | 'missing'
  /** The copy claims a list newer than the member's: it would be trusted against reach stamps it never saw. */
  | 'future'
  /** Same logical time as the member's list but another list: it would decide hierarchy access wrongly. */
  | 'differs';

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A copy is taken with the member's logical time (`hlc`), so it may never be newer than the member; one as new must be
 * the member's list itself. An older copy may differ: reorganisations stamp the members whose reach changed instead of
 * rewriting copies, so an older copy is not trusted where it matters.
 */
export function judgeCopy(member: MemberItem | undefined, copy: AncestryHint | undefined, truth?: readonly number[]): CopyVerdict {
  if (!isLive(member) || isLocked(member)) return 'skip';
  // A member whose own list is wrong is member-ancestors' finding; copies are judged against right lists only.
  if (truth !== undefined && !same(member.ancestors ?? [], truth)) return 'skip';
  if (!copy) return member.hlc !== undefined && member.ancestors !== undefined ? 'missing' : 'skip';
  if (member.hlc === undefined || copy.hlc > member.hlc) return 'future';
  if (copy.hlc === member.hlc && !same(copy.ancestors, member.ancestors ?? [])) return 'differs';
  return 'ok';
}

const MESSAGES: Record<Exclude<CopyVerdict, 'skip' | 'ok'>, string> = {
  missing: 'no copy of its ancestor list (allowed: a writer skips the copy of a member being reorganised; a check then reads the list)',
  future: 'a copy newer than the member itself',
  differs: 'a copy with the same logical time as the member but another list',
};

export interface CopyHolder {
  check: string;
  subject: Key;
  copies: Readonly<Record<string, AncestryHint>> | undefined;
  /** The holder's counter that its writers condition on: bumped, so a writer that read the old copies retries. */
  counter: 'version' | 'accessVersion';
  /** The member still counts on the holder (assigned on the links; counted on the group). */
  stillCounted: (memberId: string) => Condition;
  /** The member no longer counts on the holder. */
  notCounted: (memberId: string) => Condition;
}

/**
 * Writes one member's copy (or removes it) alone: conditioned on the member being unchanged and still (or no longer)
 * counted, not on the holder's version, so several copies of one holder are repaired independently. A copy equal to
 * the member's current list at its logical time is right whatever else the holder holds.
 */
function copyWrite(holder: CopyHolder, memberId: string, copy: AncestryHint | undefined): WriteAction {
  const names = { '#aa': 'assigneeAncestors', '#m': memberId, '#cnt': holder.counter };
  const counted = copy ? holder.stillCounted(memberId) : holder.notCounted(memberId);
  if (!copy) {
    return {
      Update: {
        Key: holder.subject,
        UpdateExpression: 'REMOVE #aa.#m SET #cnt = #cnt + :one',
        ConditionExpression: `attribute_exists(#aa.#m) AND (${counted.ConditionExpression})`,
        ExpressionAttributeNames: { ...names, ...counted.ExpressionAttributeNames },
        ExpressionAttributeValues: { ':one': 1, ...counted.ExpressionAttributeValues },
      },
    };
  }
  const mapExists = holder.copies !== undefined;
  return {
    Update: {
      Key: holder.subject,
      UpdateExpression: mapExists ? 'SET #aa.#m = :copy, #cnt = #cnt + :one' : 'SET #aa = :map, #cnt = #cnt + :one',
      ConditionExpression: `${mapExists ? 'attribute_exists(#aa)' : 'attribute_not_exists(#aa)'} AND (${counted.ConditionExpression})`,
      ExpressionAttributeNames: { ...(mapExists ? names : { '#aa': 'assigneeAncestors', '#cnt': holder.counter }), ...counted.ExpressionAttributeNames },
      ExpressionAttributeValues: { ...(mapExists ? { ':copy': copy } : { ':map': { [memberId]: copy } }), ':one': 1, ...counted.ExpressionAttributeValues },
    },
  };
}

/** The findings about one holder's copies: each counted member's copy judged, and copies of members not counted. */
export function judgeCopies(holder: CopyHolder, counted: ReadonlySet<string>, snapshot: TableSnapshot): Finding[] {
  const findings: Finding[] = [];
  const copies = holder.copies ?? {};
  const truth = placements(snapshot);
  for (const memberId of counted) {
    const member = snapshot.members.get(Number(memberId));
    const verdict = judgeCopy(member, copies[memberId], truth.get(Number(memberId))?.ancestors);
    if (verdict === 'skip' || verdict === 'ok') continue;
    const fresh = hintOf(member)!;
    const copy = copies[memberId];
    const repair: Repair = {
      action: `copy member ${memberId}'s list [${fresh.ancestors.join(', ')}] (hlc ${fresh.hlc})`,
      run: (db) => transact(db, [copyWrite(holder, memberId, fresh), checkAction(keys.member(Number(memberId)), cond.revIs(revOf(member)))]),
    };
    findings.push({
      check: holder.check,
      kind: `copy-${verdict}`,
      severity: verdict === 'missing' ? 'tolerated' : 'disagreement',
      subject: holder.subject,
      ref: `member ${memberId}`,
      sources: [keys.member(Number(memberId))],
      message: `member ${memberId}: ${MESSAGES[verdict]}${copy ? ` (copy hlc ${copy.hlc} [${copy.ancestors.join(', ')}], member hlc ${member!.hlc} [${member!.ancestors?.join(', ')}])` : ''}`,
      repair,
    });
  }
  for (const memberId of Object.keys(copies)) {
    if (counted.has(memberId)) continue;
    findings.push({
      check: holder.check,
      kind: 'leftover',
      severity: 'tolerated',
      subject: holder.subject,
      ref: `member ${memberId}`,
      sources: [],
      message: `a copy of member ${memberId}'s list, but member ${memberId} does not count here`,
      repair: { action: `remove the copy of member ${memberId}`, run: (db) => transact(db, [copyWrite(holder, memberId, undefined)]) },
    });
  }
  return findings;
}
