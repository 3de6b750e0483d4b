// Copies of the counted members' ancestor lists on a group (`assigneeAncestors`): one per counted member, never newer
// than the member, equal to its list at the same logical time; none for members no longer counted.
import { keys } from '../../store/keys.js';
import type { IntegrityCheck } from '../finding.js';
import { judgeCopies } from './copy-rules.js';

export const groupCopies: IntegrityCheck = {
  name: 'group-copies',
  derives: "copies of counted members' ancestor lists on groups, from the members",
  run(snapshot) {
    return [...snapshot.groups.values()].flatMap((group) => {
      if (group.pending) return [];
      const counted = new Set(Object.entries(group.assignees ?? {}).flatMap(([m, n]) => (n > 0 ? [m] : [])));
      return judgeCopies(
        {
          check: 'group-copies',
          subject: keys.group(group.groupId),
          copies: group.assigneeAncestors,
          counter: 'accessVersion',
          stillCounted: (m) => ({ ConditionExpression: '#as.#cm > :zero', ExpressionAttributeNames: { '#as': 'assignees', '#cm': m }, ExpressionAttributeValues: { ':zero': 0 } }),
          notCounted: (m) => ({
            ConditionExpression: '(attribute_not_exists(#as.#cm) OR #as.#cm <= :zero)',
            ExpressionAttributeNames: { '#as': 'assignees', '#cm': m },
            ExpressionAttributeValues: { ':zero': 0 },
          }),
        },
        counted,
        snapshot,
      );
    });
  },
};
