// Who has access to a contact through its members, and the rules about members of a contact (SPEC 3, 5.1): pure,
// over the facts the store read (a member item satisfies MemberFacts).
import type { Ancestors } from './member-hierarchy.js';

/** What the rules need of a member. */
export interface MemberFacts {
  readonly memberId: number;
  readonly identityId: string;
  readonly isActive: boolean;
  readonly deleted?: boolean | undefined;
  readonly participantUid?: string | undefined;
  readonly firstName?: string | undefined;
  readonly lastName?: string | undefined;
  /** Live ancestors, nearest first (absent on a member item not migrated yet: it passes no access up). */
  readonly ancestors?: Ancestors | undefined;
}

export interface MemberAccessEntry {
  memberId: number;
  identityId: string;
  accessType: 'Direct' | 'Hierarchy';
  viaMemberId: number | null;
}

const isLive = (m: MemberFacts | undefined): m is MemberFacts => m !== undefined && m.deleted !== true;

/**
 * Case-insensitive, accent-aware; one fixed locale so the order does not depend on the request language. Built on first
 * use: a collator loads ICU's collation data (3 ms in its constructor alone by a CPU profile, `npm run bench:profile`
 * with PROFILE_FUNCTION=contact-access), which a cold start of any other route would pay for nothing.
 */
let collator: Intl.Collator | undefined;
/** Missing names sort after present ones, so half-filled profiles do not lead the list. */
const compareName = (a: string | undefined, b: string | undefined) =>
  a === undefined || b === undefined
    ? Number(a === undefined) - Number(b === undefined)
    : (collator ??= new Intl.Collator('en', { sensitivity: 'accent' })).compare(a, b);

/** Advisors of a contact (SPEC 5.1): by lastName, firstName, then id. */
export const advisorOrder = (a: MemberFacts, b: MemberFacts) =>
  compareName(a.lastName, b.lastName) || compareName(a.firstName, b.firstName) || a.memberId - b.memberId;

/**
 * Data segregation (SPEC 3): a member may only be directly assigned to a contact associated with its participant.
 * A member without a participant is not "of" any associated participant: refused (deny by default).
 */
export function participantMismatches(
  links: { readonly participants: Readonly<Record<string, unknown>> },
  members: readonly MemberFacts[],
  settings: { readonly dataSegregation: boolean },
): number[] {
  if (!settings.dataSegregation) return [];
  return members
    .filter((m) => !m.participantUid || !Object.hasOwn(links.participants, m.participantUid.toLowerCase()))
    .map((m) => m.memberId);
}

/**
 * Who has access to a contact through its assignments: every live, active assigned member (`Direct`) and every
 * live, active ancestor of a live assigned member (`Hierarchy`, via the nearest assigned member below it, ties to
 * the smallest id). The ancestor lists hold live members only (deleted ones were passed when they were written). An
 * inactive member has no access itself (as in the guard) but still passes access up to its ancestors. Order:
 * Direct first, then Hierarchy, each by memberId.
 */
export function memberAccessOf(assigned: readonly number[], members: ReadonlyMap<number, MemberFacts>): MemberAccessEntry[] {
  const direct = [...new Set(assigned)].filter((id) => isLive(members.get(id))).sort((a, b) => a - b);
  const directSet = new Set(direct);
  const via = new Map<number, { viaMemberId: number; distance: number }>();
  for (const source of direct) {
    (members.get(source)!.ancestors ?? []).forEach((ancestor, index) => {
      const best = via.get(ancestor);
      // Sources are visited in ascending order, so a tie keeps the smaller id.
      if (!best || index + 1 < best.distance) via.set(ancestor, { viaMemberId: source, distance: index + 1 });
    });
  }
  const shown = (id: number) => {
    const member = members.get(id);
    return isLive(member) && member.isActive !== false;
  };
  const entry = (id: number, viaMemberId: number | null): MemberAccessEntry => ({
    memberId: id,
    identityId: members.get(id)!.identityId,
    accessType: viaMemberId === null ? 'Direct' : 'Hierarchy',
    viaMemberId,
  });
  return [
    ...direct.filter(shown).map((id) => entry(id, null)),
    ...[...via.keys()]
      .filter((id) => !directSet.has(id) && shown(id))
      .sort((a, b) => a - b)
      .map((id) => entry(id, via.get(id)!.viaMemberId)),
  ];
}
