// POST /v1.0/contact-groups/search (SPEC 5.3): AND across criteria, OR within a list, case-insensitive name prefix,
// only groups the caller may read, paged. Candidates come from a key or the name index, never from a Scan.
import type { Db } from '../store/client.js';
import { foldName, getGroupsMany, groupIdsByExternalIds, groupsByNamePrefix, isVisible } from '../store/groups.js';
import { getLinksMany, getProfilesMany, groupIdsOf } from '../store/contacts.js';
import type { GroupItem } from '../store/items.js';
import { BadRequestError } from '../domain/errors.js';
import type { Language } from '../i18n/languages.js';
import type { AccessGuard } from './access-guard.js';
import { accessViewOf, loadGroupFacts } from './group-reads.js';
import { contactIdsOfGroups, groupView, type GroupBody } from './group-views.js';

export interface GroupSearch {
  contactIds?: readonly number[] | null | undefined;
  contactGroupIds?: readonly number[] | null | undefined;
  name?: string | null | undefined;
  externalIds?: readonly string[] | null | undefined;
  page?: number | null | undefined;
  pageSize?: number | null | undefined;
}

export interface GroupSearchResult {
  results: GroupBody[];
  page: number;
  pageSize: number;
  totalCount: number;
}

export const DEFAULT_PAGE_SIZE = 20;

/** An empty list names nothing to look for: it counts as an absent criterion. */
const given = <T>(list: readonly T[] | null | undefined): readonly T[] | undefined => (list && list.length > 0 ? list : undefined);

interface Criteria {
  groupIds?: ReadonlySet<number> | undefined;
  externalIds?: ReadonlySet<string> | undefined;
  contactIds?: ReadonlySet<number> | undefined;
  namePrefix?: string | undefined;
}

/** Every criterion, checked on the group item itself (indexes only propose candidates). */
function matches(group: GroupItem, c: Criteria): boolean {
  if (c.groupIds && !c.groupIds.has(group.groupId)) return false;
  if (c.externalIds && !(group.groupExternalId !== undefined && c.externalIds.has(group.groupExternalId))) return false;
  if (c.contactIds && !group.contacts.some((m) => c.contactIds!.has(m.contactId))) return false;
  if (c.namePrefix !== undefined && !foldName(group.groupName ?? '').startsWith(c.namePrefix)) return false;
  return true;
}

/**
 * Candidate group ids from the most selective key criterion: the ids themselves; else the external-id aliases and
 * the contacts' group indexes (read in parallel: one round trip, intersected).
 */
async function candidates(db: Db, c: Criteria): Promise<number[]> {
  if (c.groupIds) return [...c.groupIds];
  const [byExternalId, links] = await Promise.all([
    c.externalIds ? groupIdsByExternalIds(db, [...c.externalIds]) : undefined,
    c.contactIds ? getLinksMany(db, [...c.contactIds]) : undefined,
  ]);
  const byContact = links ? new Set([...links.values()].flatMap(groupIdsOf)) : undefined;
  if (byExternalId) return byContact ? byExternalId.filter((id) => byContact.has(id)) : byExternalId;
  return [...byContact!];
}

/**
 * Matches are sorted by group id; `totalCount` counts every readable match (groups the caller may not read are
 * neither returned nor counted), and the page is cut from that list.
 */
export async function searchGroups(db: Db, guard: AccessGuard, search: GroupSearch, lang: Language): Promise<GroupSearchResult> {
  const groupIds = given(search.contactGroupIds);
  const externalIds = given(search.externalIds);
  const contactIds = given(search.contactIds);
  const criteria: Criteria = {
    groupIds: groupIds && new Set(groupIds),
    externalIds: externalIds && new Set(externalIds),
    contactIds: contactIds && new Set(contactIds),
    namePrefix: search.name ? foldName(search.name) : undefined,
  };
  if (!criteria.groupIds && !criteria.externalIds && !criteria.contactIds && !criteria.namePrefix) {
    throw new BadRequestError('MissingCriterion', { fields: ['contactIds', 'contactGroupIds', 'name', 'externalIds'] });
  }
  const page = search.page ?? 1;
  const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;

  if (!criteria.groupIds && !criteria.externalIds && !criteria.contactIds) return searchByName(db, guard, criteria, page, pageSize, lang);

  const ids = await candidates(db, criteria);
  const found = ids.length > 0 ? await getGroupsMany(db, ids) : new Map<number, GroupItem>();
  const matching = [...found.values()].filter((g) => isVisible(g) && matches(g, criteria)).sort((a, b) => a.groupId - b.groupId);
  const facts = await loadGroupFacts(db, guard, { checked: matching.map(accessViewOf), rendered: [] });
  const readable = matching.filter((g) => facts.readable(accessViewOf(g)));
  const shown = readable.slice((page - 1) * pageSize, page * pageSize);
  const profiles = shown.length > 0 ? await getProfilesMany(db, contactIdsOfGroups(shown)) : new Map();
  return { results: shown.map((g) => groupView(g, profiles, lang)), page, pageSize, totalCount: readable.length };
}

/**
 * A name prefix alone: who may read each match is decided from the name index's small entries (assignee counts and
 * Active contacts), so only the page's groups are read from the table — a prefix that matches 10,000 groups reads
 * 10,000 index entries (a few hundred bytes each) and 20 group items, not 10,000 group items. The index is eventually
 * consistent: `totalCount` counts the readable entries (it may lag a write by the index's propagation delay), and
 * every group shown is re-read strongly and re-checked (name and access) before it is returned.
 */
async function searchByName(db: Db, guard: AccessGuard, criteria: Criteria, page: number, pageSize: number, lang: Language): Promise<GroupSearchResult> {
  const entries = await groupsByNamePrefix(db, criteria.namePrefix!);
  const facts = await loadGroupFacts(db, guard, { checked: entries, rendered: [] });
  const readable = entries.filter((e) => facts.readable(e));
  const pageIds = readable.slice((page - 1) * pageSize, page * pageSize).map((e) => e.groupId);
  const groups = pageIds.length > 0 ? await getGroupsMany(db, pageIds) : new Map<number, GroupItem>();
  const current = pageIds.map((id) => groups.get(id)).filter((g): g is GroupItem => isVisible(g) && matches(g, criteria));
  const checked = await loadGroupFacts(db, guard, { checked: current.map(accessViewOf), rendered: current });
  const shown = current.filter((g) => checked.readable(accessViewOf(g)));
  return { results: shown.map((g) => groupView(g, checked.profiles, lang)), page, pageSize, totalCount: readable.length };
}
