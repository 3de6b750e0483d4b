// Group assignee counts: `GROUP.assignees[m]` = the number of the group's Active contacts whose links list m as
// assigned. Group checks decide from these counts alone, so a wrong count grants or denies wrongly. Beside them,
// `assigneeContacts[m]`: those contacts (which a member's deletion or move revisits).
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { checkAction, transact, updateAction, MAX_TRANSACTION_ACTIONS, type WriteAction } from '../../store/transactions.js';
import { groupUnchanged } from '../../store/groups.js';
import type { ContactLinksItem, GroupItem } from '../../store/items.js';
import { assigneeHints, isActiveMembership } from '../../domain/groups.js';
import type { Finding, IntegrityCheck } from '../finding.js';
import type { TableSnapshot } from '../snapshot.js';

/** The counts a group's Active memberships imply, and the links they come from. */
export function expectedAssignees(snapshot: TableSnapshot, group: GroupItem): { counts: Record<string, number>; contacts: Record<string, number[]>; links: ContactLinksItem[] } {
  const counts: Record<string, number> = {};
  const contacts: Record<string, number[]> = {};
  const links: ContactLinksItem[] = [];
  for (const membership of group.contacts ?? []) {
    if (!isActiveMembership(membership)) continue;
    const contactLinks = snapshot.links.get(membership.contactId);
    if (!contactLinks) continue;
    links.push(contactLinks);
    for (const memberId of Object.keys(contactLinks.assignees ?? {})) {
      counts[memberId] = (counts[memberId] ?? 0) + 1;
      contacts[memberId] = [...(contacts[memberId] ?? []), membership.contactId].sort((a, b) => a - b);
    }
  }
  return { counts, contacts, links };
}

const positive = (counts: Record<string, number> | undefined) => Object.fromEntries(Object.entries(counts ?? {}).filter(([, n]) => n > 0));
const sameCounts = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([m, n]) => b[m] === n);
const sameLists = (a: Record<string, number[]>, b: Record<string, number[]>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([m, list]) => JSON.stringify([...(b[m] ?? [])].sort((x, y) => x - y)) === JSON.stringify(list));
const sorted = (counts: Record<string, number>) => JSON.stringify(Object.fromEntries(Object.entries(counts).sort(([a], [b]) => Number(a) - Number(b))));

export const groupAssignees: IntegrityCheck = {
  name: 'group-assignees',
  derives: "group assignee counts, from the Active memberships × each contact's assigned members",
  run(snapshot) {
    const findings: Finding[] = [];
    for (const group of snapshot.groups.values()) {
      if (group.pending) continue;
      const { counts, contacts, links } = expectedAssignees(snapshot, group);
      const stored = positive(group.assignees);
      // Groups written before release 0.2 have no lists until `npm run migrate`: only their counts are judged.
      const listsRight = group.assigneeContacts === undefined || sameLists(contacts, Object.fromEntries(Object.entries(group.assigneeContacts).filter(([, l]) => l.length > 0)));
      if (sameCounts(stored, counts) && listsRight) continue;
      const subject = keys.group(group.groupId);
      // Copies kept for members still counted, taken from the links for members counted now.
      const hints = assigneeHints(counts, group.assigneeAncestors, links.map((l) => l.assigneeAncestors));
      const actions: WriteAction[] = [
        updateAction(subject, {
          set: [[['assignees'], counts], [['assigneeAncestors'], hints], [['assigneeContacts'], contacts]],
          // Concurrent assignment and group writers condition on accessVersion: they retry on the repaired counts.
          increment: [[['accessVersion'], 1]],
          condition: groupUnchanged(group),
        }),
        ...links.slice(0, MAX_TRANSACTION_ACTIONS - 1).map((l) => checkAction(keys.contactLinks(l.contactId), cond.versionIs(l.version))),
      ];
      findings.push({
        check: 'group-assignees',
        kind: sameCounts(stored, counts) ? 'wrong-contacts' : 'wrong-count',
        severity: 'disagreement',
        subject,
        sources: (group.contacts ?? []).filter(isActiveMembership).map((m) => keys.contactLinks(m.contactId)),
        message: sameCounts(stored, counts)
          ? `assigneeContacts ${JSON.stringify(group.assigneeContacts)}, but its Active contacts' links give ${JSON.stringify(contacts)}`
          : `assignees ${sorted(stored)}, but its Active contacts' links give ${sorted(counts)}`,
        repair: { action: `set assignees ${sorted(counts)} and their contacts`, run: (db) => transact(db, actions) },
      });
    }
    return findings;
  },
};
