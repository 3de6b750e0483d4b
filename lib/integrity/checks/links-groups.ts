// The groups index on a contact's links (`LINKS.groups`): a superset of the groups holding the contact. A missing entry
// is a disagreement (assignment writers update the counts of the listed groups only, so that group's counts would go
// wrong); an entry for a group that does not hold the contact is a tolerated leftover (readers verify against the
// group), e.g. of a creation larger than one transaction that failed.
import { keys } from '../../store/keys.js';
import { cond, type Condition } from '../../store/expressions.js';
import { checkAction, transact, type WriteAction } from '../../store/transactions.js';
import type { GroupItem } from '../../store/items.js';
import type { Finding, IntegrityCheck } from '../finding.js';
import { isAbandonedPending } from './pending-groups.js';

const check = 'links-groups';

/** The group is still as read (or still absent). */
const groupAsRead = (group: GroupItem | undefined): Condition => (group ? cond.versionIs(group.version) : cond.absent());

export const linksGroups: IntegrityCheck = {
  name: check,
  derives: "each contact's groups index (a superset), from the groups' memberships",
  run(snapshot, { now }) {
    const findings: Finding[] = [];
    for (const group of snapshot.groups.values()) {
      if (group.pending) continue;
      for (const { contactId } of group.contacts ?? []) {
        const links = snapshot.links.get(contactId);
        const subject = keys.contactLinks(contactId);
        if (!links) {
          findings.push({
            check, kind: 'member-without-contact', severity: 'disagreement', subject: keys.group(group.groupId), ref: `contact ${contactId}`, sources: [subject],
            message: `group ${group.groupId} holds contact ${contactId}, which does not exist (a contact deletion removes it from its groups)`,
          });
          continue;
        }
        if (links.groups?.[String(group.groupId)] !== undefined) continue;
        const actions: WriteAction[] = [
          // The links' version moves: an assignment writer that read the index without this group retries with it.
          { Update: { Key: subject, UpdateExpression: 'SET #g.#id = :one, #v = #v + :one', ConditionExpression: 'attribute_exists(#g)', ExpressionAttributeNames: { '#g': 'groups', '#id': String(group.groupId), '#v': 'version' }, ExpressionAttributeValues: { ':one': 1 } } },
          checkAction(keys.group(group.groupId), groupAsRead(group)),
        ];
        findings.push({
          check, kind: 'missing-entry', severity: 'disagreement', subject, ref: `group ${group.groupId}`, sources: [keys.group(group.groupId)],
          message: `group ${group.groupId} holds contact ${contactId}, but the contact's groups index does not list it (assignments of the contact would not update that group's counts)`,
          repair: { action: `add group ${group.groupId} to the groups index of contact ${contactId}`, run: (db) => transact(db, actions) },
        });
      }
    }
    for (const links of snapshot.links.values()) {
      const subject = keys.contactLinks(links.contactId);
      for (const groupId of Object.keys(links.groups ?? {})) {
        const group = snapshot.groups.get(Number(groupId));
        // A creation still in flight lists the group on its contacts before the group commits.
        if (group?.pending && !isAbandonedPending(group, now)) continue;
        if (group && !group.pending && (group.contacts ?? []).some((m) => m.contactId === links.contactId)) continue;
        findings.push({
          check, kind: 'leftover', severity: 'tolerated', subject, ref: `group ${groupId}`, sources: [keys.group(Number(groupId))],
          message: `the groups index lists group ${groupId}, which ${!group ? 'does not exist' : group.pending ? 'is an abandoned pending creation' : 'does not hold the contact'} (a superset leftover; readers verify)`,
          repair: {
            action: `remove group ${groupId} from the groups index of contact ${links.contactId}`,
            run: (db) =>
              transact(db, [
                { Update: { Key: subject, UpdateExpression: 'REMOVE #g.#id', ConditionExpression: 'attribute_exists(#g.#id)', ExpressionAttributeNames: { '#g': 'groups', '#id': groupId } } },
                checkAction(keys.group(Number(groupId)), groupAsRead(group)),
              ]),
          },
        });
      }
    }
    return findings;
  },
};
