// The DFS group body (SPEC 5.3): a group item with its contacts' names from their profiles, catalogue names localized.
import type * as z from 'zod';
import type { ContactProfileItem, GroupItem } from '../store/items.js';
import type { groupBody } from '../schemas/contact-groups.js';
import type { Language } from '../i18n/languages.js';
import { groupRelationshipTypeView, systemStatusView } from './catalogues.js';

export type GroupBody = z.input<typeof groupBody>;

export function groupView(group: GroupItem, profiles: ReadonlyMap<number, ContactProfileItem>, lang: Language): GroupBody {
  return {
    groupId: group.groupId,
    groupName: group.groupName ?? null,
    groupExternalId: group.groupExternalId ?? null,
    customAttributes: group.customAttributes ?? null,
    contacts: [...group.contacts]
      .sort((a, b) => a.order - b.order)
      .map((m) => {
        const profile = profiles.get(m.contactId);
        return {
          contactId: m.contactId,
          contactUid: profile?.contactUid ?? null,
          firstName: profile?.firstName ?? null,
          lastName: profile?.lastName ?? null,
          relationshipType: groupRelationshipTypeView(m.relationshipType, lang),
          systemStatus: systemStatusView(m.systemStatus, lang),
          order: m.order,
        };
      }),
  };
}

/** Every contact id of the given groups (for one batched profile read). */
export const contactIdsOfGroups = (groups: Iterable<GroupItem>) => [...new Set([...groups].flatMap((g) => g.contacts.map((m) => m.contactId)))];
