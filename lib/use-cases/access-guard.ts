// Object-level authorization (OWASP API1): the caller's access to contacts, loaded in one round trip and checked
// before any data is read out or changed.
import type { Db } from '../store/client.js';
import type { Settings } from '../config.js';
import { keys } from '../store/keys.js';
import { batchGet, keyString } from '../store/ops.js';
import type { ContactLinksItem, IdentityItem } from '../store/items.js';
import { assigneeIds, participantUidsOf } from '../store/contacts.js';
import { descendantsOf } from '../store/members.js';
import { contactAccessReason, type AccessReason, type ContactAccessFacts, type MemberReach } from '../domain/contact-access.js';
import type { Caller } from '../domain/caller.js';
import { ForbiddenError, NotFoundError, RuleViolationError } from '../domain/errors.js';

export const factsOf = (links: ContactLinksItem): ContactAccessFacts => ({
  contactId: links.contactId,
  participantUids: new Set(participantUidsOf(links)),
  assignedMemberIds: new Set(assigneeIds(links)),
});

/** A member's reach from its identity item; none when the identity is missing, inactive or not this member's. */
export function reachOf(caller: Caller, identity: IdentityItem | undefined): MemberReach | undefined {
  if (caller.type !== 'member' || !identity || identity.memberId !== caller.memberId || identity.isActive === false) return undefined;
  return { memberId: identity.memberId, descendantIds: new Set(descendantsOf(identity).keys()) };
}

export class AccessGuard {
  private reachLoaded = false;
  private memberReach: MemberReach | undefined;

  constructor(
    private readonly db: Db,
    private readonly settings: Pick<Settings, 'dataSegregation'>,
    readonly caller: Caller,
  ) {}

  /**
   * Loads the links of the given contacts together with the member caller's identity (one BatchGet).
   * Missing contacts are absent from the map.
   */
  async load(contactIds: readonly number[]): Promise<Map<number, ContactLinksItem>> {
    const identityKey = this.caller.type === 'member' && !this.reachLoaded ? keys.identity(this.caller.subject) : undefined;
    const items = await batchGet(this.db, [...contactIds.map(keys.contactLinks), ...(identityKey ? [identityKey] : [])]);
    if (identityKey) this.remember(items.get(keyString(identityKey)) as IdentityItem | undefined);
    const out = new Map<number, ContactLinksItem>();
    for (const id of contactIds) {
      const item = items.get(keyString(keys.contactLinks(id)));
      if (item) out.set(id, item as unknown as ContactLinksItem);
    }
    return out;
  }

  /** The member caller's reach (loaded on first use when `load` has not fetched it yet). */
  async reach(): Promise<MemberReach | undefined> {
    if (this.caller.type !== 'member') return undefined;
    if (!this.reachLoaded) {
      const items = await batchGet(this.db, [keys.identity(this.caller.subject)]);
      this.remember(items.get(keyString(keys.identity(this.caller.subject))) as IdentityItem | undefined);
    }
    return this.memberReach;
  }

  /** Seeds the reach from an identity item read elsewhere in the same round trip. */
  remember(identity: IdentityItem | undefined) {
    this.memberReach = reachOf(this.caller, identity);
    this.reachLoaded = true;
  }

  /** Synchronous decision once the reach is loaded (call `load` or `reach` first). */
  reason(links: ContactLinksItem): AccessReason | undefined {
    return contactAccessReason(this.caller, factsOf(links), this.settings, this.memberReach);
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
