// Items of several kinds read in one round: a use case names what it wants by kind and id, the store makes ONE
// strongly consistent BatchGet (chunks of 100 in parallel) and hands back the items by kind and id.
import type { Db } from './client.js';
import { keys, type Key } from './keys.js';
import { batchGet, keyString, pickMany, type Item } from './reads.js';
import type {
  ContactLinksItem,
  ContactProfileItem,
  ContactUidItem,
  EntityItem,
  GroupItem,
  IdentityItem,
  MemberItem,
  MemberPictureItem,
  RelativeItem,
} from './items.js';

/** A kind of item, read by its id (how its key is built is the store's business). */
export interface Kind<Id, T> {
  readonly keyOf: (id: Id) => Key;
  /** Never set: carries the item type. */
  readonly item?: T;
}

const kind = <Id, T>(keyOf: (id: Id) => Key): Kind<Id, T> => ({ keyOf });

export const Items = {
  links: kind<number, ContactLinksItem>(keys.contactLinks),
  profile: kind<number, ContactProfileItem>(keys.contactProfile),
  uidAlias: kind<string, ContactUidItem>(keys.contactUid),
  relative: kind<readonly [contactId: number, relativeContactId: number], RelativeItem>(([a, b]) => keys.relative(a, b)),
  member: kind<number, MemberItem>(keys.member),
  picture: kind<number, MemberPictureItem>(keys.memberPicture),
  identity: kind<string, IdentityItem>(keys.identity),
  group: kind<number, GroupItem>(keys.group),
  entity: kind<{ readonly entityType: string; readonly entityId: number }, EntityItem>((e) => keys.entity(e.entityType, e.entityId)),
};

/** Items of one kind wanted in a round. */
export interface Wanted {
  readonly keys: readonly Key[];
}

export const want = <Id>(of: Kind<Id, unknown>, ids: Iterable<Id>): Wanted => ({ keys: [...ids].map(of.keyOf) });

/** Items read together, by kind and id (an item read and not found is absent); later rounds add to it. */
export class ReadSet {
  private readonly items = new Map<string, Item>();
  private readonly requested = new Set<string>();

  get<Id, T>(of: Kind<Id, T>, id: Id): T | undefined {
    return this.items.get(keyString(of.keyOf(id))) as T | undefined;
  }

  /** The item was found. */
  has<Id>(of: Kind<Id, unknown>, id: Id): boolean {
    return this.items.has(keyString(of.keyOf(id)));
  }

  /** The item was asked for (found or not). */
  asked<Id>(of: Kind<Id, unknown>, id: Id): boolean {
    return this.requested.has(keyString(of.keyOf(id)));
  }

  /** The items of `ids` that were found, by id. */
  pick<Id, T>(of: Kind<Id, T>, ids: Iterable<Id>): Map<Id, T> {
    return pickMany<Id, T>(this.items, ids, of.keyOf);
  }

  /** Adds a round's results. */
  add(keyList: readonly Key[], items: ReadonlyMap<string, Item>): this {
    for (const k of keyList) this.requested.add(keyString(k));
    for (const [k, item] of items) this.items.set(k, item);
    return this;
  }
}

/** Everything `wanted` names, in ONE BatchGet (no request when nothing is wanted); added to `into` when given. */
export async function readTogether(db: Db, wanted: readonly Wanted[], into = new ReadSet()): Promise<ReadSet> {
  const keyList = wanted.flatMap((w) => w.keys);
  return into.add(keyList, keyList.length > 0 ? await batchGet(db, keyList) : new Map());
}

/** Nothing is wanted. */
export const nothingWanted = (wanted: readonly Wanted[]) => wanted.every((w) => w.keys.length === 0);
