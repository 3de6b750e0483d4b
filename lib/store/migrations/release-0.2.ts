// Upgrade in place of a table written by release 0.1.0 (closures on identities, one CHILDREN item per manager, the
// first-letter name index) to the bank-scale model: ancestor lists on members, one row per child, the sharded name
// index. An operator's one-off (`npm run migrate`): a Scan is fine here, never on a request path.
//
// Idempotent (a second run changes nothing) and lossless: every derived datum is recomputed from its source (the
// members' declared parents, the groups' memberships); only the retired derived attributes are removed.
import type { Db } from '../client.js';
import { keys } from '../keys.js';
import { cond } from '../expressions.js';
import { batchWrite, writeOne, updateAction, type IndexRow } from '../transactions.js';
import { activeContactIdsOf } from '../groups.js';
import { childRow, nextHlc } from '../members.js';
import { impliedReachRows } from '../reach.js';
import type { ContactLinksItem, EntityItem, GroupEntityItem, GroupItem, IdentityItem, MemberItem } from '../items.js';
import { MAX_CHAIN_LENGTH, type AncestryHint } from '../../domain/member-hierarchy.js';

export interface MigrationReport {
  scanned: number;
  membersRewritten: number;
  childRowsWritten: number;
  legacyChildrenRemoved: number;
  identitiesTrimmed: number;
  linksCopied: number;
  groupsReindexed: number;
  groupEntityRows: number;
  reachRows: number;
}

type Scanned = Record<string, unknown> & { pk: string; sk: string };

/** Every item of the table: parallel Scan segments, strongly consistent. */
export async function scanAll(db: Db, segments = 4): Promise<Scanned[]> {
  const parts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      const items: Scanned[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.doc.scan({ TableName: db.tableName, Segment: segment, TotalSegments: segments, ConsistentRead: true, ...(start && { ExclusiveStartKey: start }) });
        items.push(...((out.Items ?? []) as Scanned[]));
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    }),
  );
  return parts.flat();
}

/**
 * Where each live member hangs, from the declared parents alone (as release 0.1.0 resolved them): its live
 * ancestors, nearest first (deleted members passed through, an unknown id ends the chain), and the id its child row
 * lives under (the first live ancestor, or the unknown id it waits for).
 */
export function placeMembers(members: ReadonlyMap<number, Pick<MemberItem, 'memberId' | 'parentMemberId' | 'deleted'>>): Map<number, { ancestors: number[]; rowParent: number | undefined }> {
  const out = new Map<number, { ancestors: number[]; rowParent: number | undefined }>();
  for (const member of members.values()) {
    if (member.deleted) continue;
    const ancestors: number[] = [];
    let rowParent: number | undefined;
    const seen = new Set([member.memberId]);
    for (let next = member.parentMemberId; next !== undefined && !seen.has(next) && seen.size <= 4 * MAX_CHAIN_LENGTH; ) {
      seen.add(next);
      const parent = members.get(next);
      if (!parent) {
        rowParent ??= next;
        break;
      }
      if (!parent.deleted) {
        rowParent ??= next;
        ancestors.push(next);
      }
      next = parent.parentMemberId;
    }
    out.set(member.memberId, { ancestors: ancestors.slice(0, MAX_CHAIN_LENGTH - 1), rowParent });
  }
  return out;
}

const sameList = (a: readonly number[] | undefined, b: readonly number[]) => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/** Migrates the table; `dryRun` only counts what would change. */
export async function migrateToRelease02(db: Db, options: { dryRun?: boolean; log?: (line: string) => void } = {}): Promise<MigrationReport> {
  const log = options.log ?? (() => undefined);
  const items = await scanAll(db);
  const report: MigrationReport = { scanned: items.length, membersRewritten: 0, childRowsWritten: 0, legacyChildrenRemoved: 0, identitiesTrimmed: 0, linksCopied: 0, groupsReindexed: 0, groupEntityRows: 0, reachRows: 0 };
  const members = new Map<number, MemberItem>();
  const existingRows = new Set<string>();
  const legacyChildren: Scanned[] = [];
  for (const item of items) {
    if (item.sk === 'MEMBER' && item.pk.startsWith('MEMBER#')) members.set((item as unknown as MemberItem).memberId, item as unknown as MemberItem);
    else if (item.sk === 'CHILDREN' && item.pk.startsWith('MEMBER#')) legacyChildren.push(item);
    else if (item.sk.startsWith(keys.memberChildPrefix)) existingRows.add(`${item.pk}|${item.sk}`);
  }

  // Members: the ancestor list, a revision (writers of this release condition on it) and a logical time.
  const placed = placeMembers(members);
  const rows: IndexRow[] = [];
  const hints = new Map<number, AncestryHint>();
  for (const [memberId, { ancestors, rowParent }] of placed) {
    const member = members.get(memberId)!;
    if (!sameList(member.ancestors, ancestors) || member.rev === undefined || member.hlc === undefined) {
      report.membersRewritten++;
      const hlc = nextHlc(member);
      hints.set(memberId, { ancestors, hlc });
      if (!options.dryRun) {
        await writeOne(
          db,
          updateAction(keys.member(memberId), {
            set: [[['ancestors'], ancestors], [['rev'], (member.rev ?? 0) + 1], [['hlc'], hlc]],
            condition: cond.revIs(member.rev ?? 0),
          }) as never,
        );
      }
    } else {
      hints.set(memberId, { ancestors, hlc: member.hlc! });
    }
    if (rowParent !== undefined) {
      const row = childRow(rowParent, memberId);
      if (!existingRows.has(`${row.pk}|${row.sk}`)) rows.push({ put: row });
    }
  }
  report.childRowsWritten = rows.length;
  report.legacyChildrenRemoved = legacyChildren.length;
  if (!options.dryRun) {
    await batchWrite(db, rows);
    await batchWrite(db, legacyChildren.map((item) => ({ delete: { pk: item.pk, sk: item.sk } })));
  }
  log(`members: ${report.membersRewritten} rewritten, ${rows.length} child rows, ${legacyChildren.length} CHILDREN items removed`);

  // Identities: the closure is gone (nothing reads it any more, and it is what grew with the organisation).
  for (const item of items) {
    if (item.sk !== 'IDENTITY' || !('descendants' in item)) continue;
    report.identitiesTrimmed++;
    if (!options.dryRun) {
      const identity = item as unknown as IdentityItem;
      await writeOne(db, updateAction(keys.identity(identity.identityId), { remove: [['descendants']], condition: cond.exists() }) as never);
    }
  }
  log(`identities: ${report.identitiesTrimmed} closures removed`);

  // Links: copies of the assigned members' lists (a manager's access decided from the links alone).
  const copies = (memberIds: Iterable<string>) => {
    const out: Record<string, AncestryHint> = {};
    for (const id of memberIds) {
      const hint = hints.get(Number(id));
      if (hint) out[id] = hint;
    }
    return out;
  };
  const sameCopies = (a: Record<string, AncestryHint> | undefined, b: Record<string, AncestryHint>) =>
    a !== undefined && Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([id, h]) => a[id]?.hlc === h.hlc && sameList(a[id]!.ancestors, h.ancestors));
  const byKey = new Map(items.map((i) => [`${i.pk}|${i.sk}`, i]));
  const linksOf = (contactId: number) => byKey.get(`${keys.contactLinks(contactId).pk}|LINKS`) as ContactLinksItem | undefined;
  for (const item of items) {
    if (item.sk !== 'LINKS' || !item.pk.startsWith('CONTACT#')) continue;
    const links = item as unknown as ContactLinksItem;
    const next = copies(Object.keys(links.assignees ?? {}));
    // The contact's isActive lives on its links too (every check reads it there).
    const profile = byKey.get(`${keys.contactProfile(links.contactId).pk}|PROFILE`) as { isActive?: boolean } | undefined;
    const isActive = profile?.isActive !== false;
    if (sameCopies(links.assigneeAncestors, next) && links.isActive === isActive) continue;
    report.linksCopied++;
    if (!options.dryRun) {
      await writeOne(
        db,
        updateAction(keys.contactLinks(links.contactId), { set: [[['assigneeAncestors'], next], [['isActive'], isActive]], condition: cond.versionIs(links.version) }) as never,
      );
    }
  }
  log(`links: ${report.linksCopied} given copies of their assigned members' lists and the contact's isActive`);

  // Groups: the sharded name index and the Active contacts it projects; the retired index's keys go.
  for (const item of items) {
    if (item.sk !== 'GROUP' || !item.pk.startsWith('GROUP#')) continue;
    const group = item as unknown as GroupItem & { gsi1pk?: string; gsi1sk?: string };
    if (group.pending) continue;
    const nameKeys = group.groupName ? keys.groupNameIndex(group.groupName, group.groupId) : undefined;
    const active = activeContactIdsOf(group);
    const groupCopies = copies(Object.entries(group.assignees ?? {}).flatMap(([id, count]) => (count > 0 ? [id] : [])));
    // For each counted member, the group's Active contacts assigned to it (what an explained check names).
    const assigneeContacts: Record<string, number[]> = {};
    for (const contactId of active) {
      for (const m of Object.keys(linksOf(contactId)?.assignees ?? {})) (assigneeContacts[m] ??= []).push(contactId);
    }
    for (const list of Object.values(assigneeContacts)) list.sort((a, b) => a - b);
    const current =
      canonical(group.assigneeContacts ?? null) === canonical(assigneeContacts) &&
      group.gsi1pk === undefined &&
      group.gsi2pk === nameKeys?.gsi2pk &&
      group.gsi2sk === nameKeys?.gsi2sk &&
      sameList(group.activeContactIds, active) &&
      sameCopies(group.assigneeAncestors, groupCopies);
    if (current) continue;
    report.groupsReindexed++;
    if (options.dryRun) continue;
    await writeOne(
      db,
      updateAction(keys.group(group.groupId), {
        set: [
          [['activeContactIds'], active],
          [['assigneeAncestors'], groupCopies],
          [['assigneeContacts'], sortedKeys(assigneeContacts)],
          ...(nameKeys ? ([[['gsi2pk'], nameKeys.gsi2pk], [['gsi2sk'], nameKeys.gsi2sk]] as const) : []),
        ],
        remove: [['gsi1pk'], ['gsi1sk']],
        condition: cond.versionIs(group.version),
      }) as never,
    );
  }
  log(`groups: ${report.groupsReindexed} re-indexed`);

  // Entities of a group, one row each in the group's partition.
  const entityRows: IndexRow[] = [];
  for (const item of items) {
    if (item.sk !== 'ENTITY' || !item.pk.startsWith('ENTITY#')) continue;
    const entity = item as unknown as EntityItem;
    if (entity.groupId == null) continue;
    const key = keys.groupEntity(entity.groupId, entity.entityType, entity.entityId);
    if (byKey.has(`${key.pk}|${key.sk}`)) continue;
    entityRows.push({ put: { ...key, type: 'GroupEntity', groupId: entity.groupId, entityType: entity.entityType, entityId: entity.entityId } satisfies GroupEntityItem });
  }
  report.groupEntityRows = entityRows.length;
  if (!options.dryRun) await batchWrite(db, entityRows);

  // The lookups' reach index, built from the same snapshot (the project function keeps it from now on).
  const reach = impliedReachRows(items, {
    ancestorsOf: (m) => placed.get(m)?.ancestors,
    identityOf: (m) => {
      const member = members.get(m);
      return member && !member.deleted ? member.identityId : undefined;
    },
  });
  const missing = reach.filter((row) => {
    const existing = byKey.get(`${row.pk}|${row.sk}`);
    return !existing || canonical({ ...existing, basis: 0, correlationId: undefined }) !== canonical({ ...row, basis: 0 });
  });
  report.reachRows = missing.length;
  if (!options.dryRun) await batchWrite(db, missing.map((put) => ({ put })));
  log(`lookups: ${entityRows.length} group entity rows, ${missing.length} reach rows`);
  return report;
}

/** A value's JSON with object keys sorted at every level (stored maps come back in any order). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

const sortedKeys = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => Number(a) - Number(b)));
