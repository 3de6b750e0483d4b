// Copies of the assigned members' ancestor lists on a contact's links (`assigneeAncestors`): never newer than the
// member, equal to its list at the same logical time; none for members no longer assigned.
import { keys } from '../../store/keys.js';
import type { IntegrityCheck } from '../finding.js';
import { judgeCopies } from './copy-rules.js';

export const linksCopies: IntegrityCheck = {
  name: 'links-copies',
  derives: "copies of assigned members' ancestor lists on contacts' links, from the members",
  run(snapshot) {
    return [...snapshot.links.values()].flatMap((links) =>
      judgeCopies(
        {
          check: 'links-copies',
          subject: keys.contactLinks(links.contactId),
          copies: links.assigneeAncestors,
          counter: 'version',
          stillCounted: (m) => ({ ConditionExpression: 'attribute_exists(#as.#cm)', ExpressionAttributeNames: { '#as': 'assignees', '#cm': m } }),
          notCounted: (m) => ({ ConditionExpression: 'attribute_not_exists(#as.#cm)', ExpressionAttributeNames: { '#as': 'assignees', '#cm': m } }),
        },
        new Set(Object.keys(links.assignees ?? {})),
        snapshot,
      ),
    );
  },
};
