// Object-level authorization (OWASP API1): the caller's access to contacts, decided from strongly consistent reads
// before any data is read out or changed.
//
// A member caller reaches a contact assigned to itself or to a member below it. One round answers both: the
// contact's links carry copies of the assigned members' ancestor lists, trusted unless a reorganisation changed the
// caller's reach since they were copied (then a second round reads the lists). What the guard needs can also be read
// in a round trip that a use case makes anyway (`wanted` / `absorb`), so it adds no round of its own.
import type { Db } from '../store/client.js';
import type { Settings } from '../config.js';
import { Items, readTogether, want, nothingWanted, type ReadSet, type Wanted } from '../store/read-together.js';
import type { ContactLinksItem, IdentityItem, MemberItem } from '../store/items.js';
import { assigneeIds, participantUidsOf } from '../store/contacts.js';
import { ancestorsOf, isLive } from '../store/members.js';
import { contactAccessReason, type AccessReason, type ContactAccessFacts, type MemberReach } from '../domain/contact-access.js';
import { hintHolds, type Ancestors, type AncestryHint } from '../domain/member-hierarchy.js';
import { isAdmin, type Caller } from '../domain/caller.js';
import { ForbiddenError, NotFoundError, RuleViolationError } from '../domain/errors.js';

export const factsOf = (links: ContactLinksItem): ContactAccessFacts => ({
  contactId: links.contactId,
  participantUids: new Set(participantUidsOf(links)),
  assignedMemberIds: new Set(assigneeIds(links)),
});

/** What a member caller's decisions need beyond what the use case reads: its identity, and ancestor lists. */
export interface GuardWants {
  /** The member caller's identity id, when it was not read yet. */
  identity?: string;
  memberIds: number[];
}

export class AccessGuard {
  private identityRead = false;
  private identity: IdentityItem | undefined;
  /** Ancestor lists read so far (null: no live member with that id). */
  private readonly ancestries = new Map<number, Ancestors | null>();
  /** Copies of ancestor lists seen on links and groups (the newest per member). */
  private readonly hints = new Map<number, AncestryHint>();

  constructor(
    private readonly db: Db,
    private readonly settings: Pick<Settings, 'dataSegregation'>,
    readonly caller: Caller,
  ) {}

  private get hierarchical() {
    return this.caller.type === 'member' && !isAdmin(this.caller);
  }

  /**
   * What deciding on contacts (or groups) assigned to the given member sets still needs: the member caller's
   * identity, and the ancestor lists of the assigned members of every set the caller is not itself in.
   */
  wanted(assignedSets: Iterable<readonly number[]> = []): GuardWants {
    if (!this.hierarchical || this.caller.type !== 'member') return { memberIds: [] };
    const memberIds = new Set<number>();
    for (const assigned of assignedSets) {
      if (assigned.includes(this.caller.memberId)) continue;
      for (const m of assigned) if (this.listOf(m, true) === undefined) memberIds.add(m);
    }
    return { ...(!this.identityRead && { identity: this.caller.subject }), memberIds: [...memberIds] };
  }

  /**
   * What the guard knows of a member's ancestors: its list as read, else a copy that holds for the caller (before the
   * caller's identity is read, any copy is taken as holding: `prepare` reads the list if it turns out not to).
   */
  private listOf(memberId: number, optimistic = false): Ancestors | null | undefined {
    if (this.ancestries.has(memberId)) return this.ancestries.get(memberId);
    const hint = this.hints.get(memberId);
    if (!hint) return undefined;
    if (!this.identityRead) return optimistic ? hint.ancestors : undefined;
    return hintHolds(hint, this.identity?.reachStamp) ? hint.ancestors : undefined;
  }

  /** Copies of ancestor lists kept on contacts' links or groups (see AncestryHint). */
  absorbHints(hints: Readonly<Record<string, AncestryHint>> | undefined): void {
    for (const [id, hint] of Object.entries(hints ?? {})) {
      const known = this.hints.get(Number(id));
      if (!known || hint.hlc > known.hlc) this.hints.set(Number(id), hint);
    }
  }

  /** The items of `wanted`, for a round the use case makes anyway (`readTogether`). */
  static readsOf(wants: GuardWants): Wanted[] {
    return [want(Items.identity, wants.identity !== undefined ? [wants.identity] : []), want(Items.member, wants.memberIds)];
  }

  /** Takes what a shared round trip read for `wants` (an item read and not found counts as read). */
  absorb(wants: GuardWants, reads: ReadSet): void {
    if (wants.identity !== undefined) this.absorbIdentity(reads.get(Items.identity, wants.identity));
    this.absorbMembers(reads.pick(Items.member, wants.memberIds), wants.memberIds);
  }

  absorbIdentity(identity: IdentityItem | undefined): void {
    this.identity = identity;
    this.identityRead = true;
  }

  /** Member items read elsewhere (e.g. the advisors a use case shows): their ancestor lists serve the decisions too. */
  absorbMembers(members: ReadonlyMap<number, MemberItem>, requested: Iterable<number> = members.keys()): void {
    for (const id of requested) {
      const member = members.get(id);
      this.ancestries.set(id, isLive(member) ? ancestorsOf(member) : null);
    }
  }

  /** Reads (one BatchGet, none when nothing is missing) what deciding on these links needs. */
  async prepare(links: Iterable<ContactLinksItem>): Promise<void> {
    await this.prepareSets([...links].map(assigneeIds));
  }

  /**
   * As `prepare`, for groups or contacts given by their assigned member sets. A second read happens only when copies
   * taken for holding turn out older than the caller's reach stamp (read with the first).
   */
  async prepareSets(assignedSets: Iterable<readonly number[]>): Promise<void> {
    const sets = [...assignedSets];
    for (let round = 0; round < 2; round++) {
      const wants = this.wanted(sets);
      const wanted = AccessGuard.readsOf(wants);
      if (nothingWanted(wanted)) return;
      this.absorb(wants, await readTogether(this.db, wanted));
    }
  }

  /**
   * The links of the given contacts, with what the decisions on them need: one BatchGet (links and the member
   * caller's identity), and a second only for a member caller that is not directly assigned to all of them.
   * Missing contacts are absent from the map.
   */
  async load(contactIds: readonly number[]): Promise<Map<number, ContactLinksItem>> {
    const out = await this.loadLinks(contactIds);
    await this.prepare(out.values());
    return out;
  }

  /**
   * Only the first round of `load` (links and the member caller's identity): for a use case that reads the
   * assigned members anyway and hands them to `absorbMembers` before deciding.
   */
  async loadLinks(contactIds: readonly number[]): Promise<Map<number, ContactLinksItem>> {
    const wants = this.wanted();
    const reads = await readTogether(this.db, [want(Items.links, contactIds), ...AccessGuard.readsOf(wants)]);
    this.absorb(wants, reads);
    const out = reads.pick(Items.links, contactIds);
    for (const links of out.values()) this.absorbHints(links.assigneeAncestors);
    return out;
  }

  /**
   * The member caller's reach over what was prepared; none when its identity is missing, inactive or not this
   * member's (deny by default).
   */
  reach(): MemberReach | undefined {
    const { caller, identity } = this;
    if (caller.type !== 'member' || !identity || identity.memberId !== caller.memberId || identity.isActive === false) return undefined;
    const hierarchy = new Map<number, Ancestors>();
    for (const id of new Set([...this.ancestries.keys(), ...this.hints.keys()])) {
      const list = this.listOf(id);
      if (list) hierarchy.set(id, list);
    }
    return { memberId: identity.memberId, hierarchy };
  }

  /** The decision on prepared links (`load` or `prepare` first; what was not read is not granted). */
  reason(links: ContactLinksItem): AccessReason | undefined {
    return contactAccessReason(this.caller, factsOf(links), this.settings, this.hierarchical ? this.reach() : undefined);
  }

  can(links: ContactLinksItem): boolean {
    return this.reason(links) !== undefined;
  }

  /** 404 when the contact does not exist, 403 when the caller may not access it; the links otherwise. */
  async requireContact(contactId: number): Promise<ContactLinksItem> {
    const links = (await this.load([contactId])).get(contactId);
    if (!links) throw new NotFoundError('ContactNotFound', { ids: [contactId] });
    if (!this.can(links)) throw new ForbiddenError('NoContactAccess', { contactId });
    return links;
  }

  /**
   * Every contact must exist (else `missing` decides: 404 or 422 ContactNotFound listing them) and be accessible
   * (else 403 listing none of the inaccessible data, only their ids as the caller named them).
   */
  async requireContacts(contactIds: readonly number[], missing: 'NotFound' | 'Unprocessable' = 'NotFound'): Promise<Map<number, ContactLinksItem>> {
    const unique = [...new Set(contactIds)];
    const found = await this.load(unique);
    const absent = unique.filter((id) => !found.has(id));
    if (absent.length > 0) {
      if (missing === 'NotFound') throw new NotFoundError('ContactNotFound', { ids: absent });
      throw new RuleViolationError('ContactNotFound', { ids: absent });
    }
    const refused = unique.filter((id) => !this.can(found.get(id)!));
    if (refused.length > 0) throw new ForbiddenError('NoContactAccess', { contactIds: refused });
    return found;
  }
}
