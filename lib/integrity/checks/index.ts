// Every integrity check, in the order verify-table judges and repairs them: reorganisations are finished first (the
// hierarchy checks skip the members they lock), the hierarchy before the copies of its lists, groups before the
// indexes that point at them. A new derived datum brings its own module and one line here.
import type { IntegrityCheck } from '../finding.js';
import { reorgLocks } from './reorg-locks.js';
import { memberAncestors } from './member-ancestors.js';
import { memberChildRows } from './member-child-rows.js';
import { memberIdentities } from './member-identities.js';
import { pendingGroups } from './pending-groups.js';
import { groupAssignees } from './group-assignees.js';
import { groupCopies } from './group-copies.js';
import { groupActiveContacts } from './group-active-contacts.js';
import { groupNameIndex } from './group-name-index.js';
import { groupEntityCount } from './group-entity-count.js';
import { groupExternalIds } from './group-external-ids.js';
import { groupEntityRows } from './group-entity-rows.js';
import { linksActive } from './links-active.js';
import { reachIndex } from './reach-index.js';
import { linksGroups } from './links-groups.js';
import { linksCopies } from './links-copies.js';
import { reverseAssignments } from './reverse-assignments.js';
import { relatives } from './relatives.js';
import { contactUids } from './contact-uids.js';
import { counters } from './counters.js';

export const CHECKS: readonly IntegrityCheck[] = [
  reorgLocks,
  memberAncestors,
  memberChildRows,
  memberIdentities,
  pendingGroups,
  groupAssignees,
  groupCopies,
  groupActiveContacts,
  groupNameIndex,
  groupEntityCount,
  groupExternalIds,
  groupEntityRows,
  linksGroups,
  linksCopies,
  linksActive,
  reverseAssignments,
  relatives,
  contactUids,
  counters,
  // Last: the index is projected from everything above.
  reachIndex,
];
