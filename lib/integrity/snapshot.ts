// The whole table as the integrity checks judge it: read by parallel Scan segments (strongly consistent) within a
// read-capacity budget, and indexed by item type. An operator's tool: a Scan is fine here, never on a request path.
import type { Db } from '../store/client.js';
import { keys, type Key } from '../store/keys.js';
import { keyString, sleep } from '../store/reads.js';
import type {
  ContactLinksItem,
  ContactProfileItem,
  ContactUidItem,
  EntityItem,
  GroupEntityItem,
  GroupExternalIdItem,
  GroupItem,
  IdentityItem,
  MemberAssignmentItem,
  MemberChildItem,
  MemberItem,
  ReachItem,
  RelativeItem,
} from '../store/items.js';
import type { CounterName } from '../store/counters.js';
import { StoreUnavailable } from '../aws/unavailable.js';

export type ScannedItem = Record<string, unknown> & Key;

/** A read-capacity budget shared by every request of a run: on average at most `unitsPerSecond` read units. */
export class ReadBudget {
  private balance: number;
  private last = Date.now();
  consumed = 0;

  constructor(readonly unitsPerSecond: number | undefined) {
    this.balance = unitsPerSecond ?? 0;
  }

  /** Waits until the budget is not in debt (a page may overdraw it; the next request waits the debt off). */
  async take(): Promise<void> {
    if (this.unitsPerSecond === undefined) return;
    for (;;) {
      const now = Date.now();
      this.balance = Math.min(this.unitsPerSecond, this.balance + ((now - this.last) / 1000) * this.unitsPerSecond);
      this.last = now;
      if (this.balance >= 0) return;
      await sleep(Math.min(1000, (-this.balance / this.unitsPerSecond) * 1000 + 5));
    }
  }

  spend(units: number | undefined): void {
    this.consumed += units ?? 0;
    if (this.unitsPerSecond !== undefined) this.balance -= units ?? 0;
  }
}

export interface ScanOptions {
  /** Parallel Scan segments (default 4). */
  segments?: number;
  budget?: ReadBudget;
}

/** Every item of the table: parallel segments, strongly consistent, within the budget. */
export async function scanTable(db: Db, options: ScanOptions = {}): Promise<ScannedItem[]> {
  const segments = options.segments ?? 4;
  const budget = options.budget ?? new ReadBudget(undefined);
  const parts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const items: ScannedItem[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        await budget.take();
        const out = await db.doc.scan({
          TableName: db.tableName,
          Segment: segment,
          TotalSegments: segments,
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
          ...(start && { ExclusiveStartKey: start }),
        });
        budget.spend(out.ConsumedCapacity?.CapacityUnits);
        // The run holds every item: a picture's bytes (up to 150 KB) are dropped as soon as they are read.
        for (const item of (out.Items ?? []) as ScannedItem[]) items.push(item.sk === 'PICTURE' ? { ...item, image: undefined } : item);
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    }),
  );
  return parts.flat();
}

/** The current items under the given keys (strongly consistent BatchGet, within the budget); absent keys map to undefined. */
export async function readAgain(db: Db, keyList: readonly Key[], budget = new ReadBudget(undefined)): Promise<Map<string, ScannedItem | undefined>> {
  const unique = [...new Map(keyList.map((k) => [keyString(k), { pk: k.pk, sk: k.sk }])).values()];
  const out = new Map<string, ScannedItem | undefined>(unique.map((k) => [keyString(k), undefined]));
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Key[] = unique.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new StoreUnavailable('throttled', 'BatchGet: unprocessed keys after retries');
      if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
      await budget.take();
      const result = await db.doc.batchGet({ RequestItems: { [db.tableName]: { Keys: pending, ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' });
      budget.spend(result.ConsumedCapacity?.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0));
      for (const item of result.Responses?.[db.tableName] ?? []) out.set(keyString(item as Key), item as ScannedItem);
      pending = (result.UnprocessedKeys?.[db.tableName]?.Keys as Key[] | undefined) ?? [];
    }
  }
  return out;
}

const pkId = (pk: string) => Number(pk.slice(pk.indexOf('#') + 1));
const COUNTER_NAMES: readonly CounterName[] = ['contact', 'group', 'membership'];

/** The table's items by type (keys.ts is the one description of which key holds what). */
export class TableSnapshot {
  readonly members = new Map<number, MemberItem>();
  readonly identities = new Map<string, IdentityItem>();
  /** Child rows and reverse assignment rows by `PK|SK`. */
  readonly childRows = new Map<string, MemberChildItem>();
  readonly assignmentRows = new Map<string, MemberAssignmentItem>();
  readonly profiles = new Map<number, ContactProfileItem>();
  readonly links = new Map<number, ContactLinksItem>();
  /** Contact uid aliases by `PK|SK`. */
  readonly contactUids = new Map<string, ContactUidItem>();
  /** Relative rows by `PK|SK`. */
  readonly relatives = new Map<string, RelativeItem>();
  readonly groups = new Map<number, GroupItem>();
  /** Group external-id aliases by `PK|SK`. */
  readonly groupExternalIds = new Map<string, GroupExternalIdItem>();
  readonly entities = new Map<string, EntityItem>();
  /** A group's rows of its linked entities by `PK|SK`. */
  readonly groupEntityRows = new Map<string, GroupEntityItem>();
  /** The lookups' reach index rows by `PK|SK`. */
  readonly reachRows = new Map<string, ReachItem>();
  /** Counter values (a counter never written is absent). */
  readonly counters = new Map<CounterName, number>();
  private readonly byKey = new Map<string, ScannedItem>();

  constructor(readonly items: readonly ScannedItem[]) {
    for (const item of items) this.add(item);
  }

  /** The item under a key, as read. */
  get<T = ScannedItem>(key: Key): T | undefined {
    return this.byKey.get(keyString(key)) as T | undefined;
  }

  /** The snapshot with some keys read again (undefined: the item is gone). */
  patched(fresh: ReadonlyMap<string, ScannedItem | undefined>): TableSnapshot {
    const items = this.items.filter((item) => !fresh.has(keyString(item)));
    for (const item of fresh.values()) if (item) items.push(item);
    return new TableSnapshot(items);
  }

  private add(item: ScannedItem): void {
    const { pk, sk } = item;
    this.byKey.set(keyString(item), item);
    const kind = pk.slice(0, pk.indexOf('#') + 1);
    switch (kind) {
      case 'MEMBER#':
        if (sk === 'MEMBER') this.members.set(pkId(pk), item as unknown as MemberItem);
        else if (sk.startsWith(keys.memberChildPrefix)) this.childRows.set(keyString(item), item as unknown as MemberChildItem);
        else if (sk.startsWith(keys.memberAssignmentPrefix)) this.assignmentRows.set(keyString(item), item as unknown as MemberAssignmentItem);
        return;
      case 'IDENTITY#':
        if (sk === 'IDENTITY') this.identities.set(pk.slice('IDENTITY#'.length), item as unknown as IdentityItem);
        return;
      case 'CONTACT#':
        if (sk === 'PROFILE') this.profiles.set(pkId(pk), item as unknown as ContactProfileItem);
        else if (sk === 'LINKS') this.links.set(pkId(pk), item as unknown as ContactLinksItem);
        else if (sk.startsWith(keys.relativePrefix)) this.relatives.set(keyString(item), item as unknown as RelativeItem);
        return;
      case 'CONTACTUID#':
        if (sk === 'CONTACTUID') this.contactUids.set(keyString(item), item as unknown as ContactUidItem);
        return;
      case 'GROUP#':
        if (sk === 'GROUP') this.groups.set(pkId(pk), item as unknown as GroupItem);
        else if (sk.startsWith(keys.groupEntityPrefix)) this.groupEntityRows.set(keyString(item), item as unknown as GroupEntityItem);
        return;
      case 'REACH#':
        this.reachRows.set(keyString(item), item as unknown as ReachItem);
        return;
      case 'GROUPEXT#':
        if (sk === 'GROUPEXT') this.groupExternalIds.set(keyString(item), item as unknown as GroupExternalIdItem);
        return;
      case 'ENTITY#':
        if (sk === 'ENTITY') this.entities.set(keyString(item), item as unknown as EntityItem);
        return;
      case 'COUNTER#': {
        const name = pk.slice('COUNTER#'.length) as CounterName;
        if (sk === 'COUNTER' && COUNTER_NAMES.includes(name)) this.counters.set(name, Number(item.value ?? 0));
        return;
      }
      default:
      // Idempotency records, pictures, waiting counts and item types of other features: judged by their own checks.
    }
  }
}
