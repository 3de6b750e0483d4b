// Relative links: one item per direction in the contact's partition (A → B and its reciprocal B → A, always written
// together), and the relatives of a contact.
import type { Db } from './client.js';
import { keys } from './keys.js';
import { queryPrefix } from './reads.js';
import { deleteAction, putAction } from './transactions.js';
import type { Plan } from './plans.js';
import type { RelativeItem } from './items.js';
import type { RelativeRelationshipType } from '../domain/catalogues.js';

/** The relative links of a contact (one Query of its partition's RELATIVE# rows, strongly consistent). */
export const relativeLinksOf = (db: Db, contactId: number) => queryPrefix<RelativeItem>(db, keys.contactLinks(contactId).pk, keys.relativePrefix);

/** Links A → B with the given type (replacing the link there was). */
export const putRelativePlan = (contactId: number, relativeContactId: number, relationshipType: RelativeRelationshipType, createdAt: string): Plan => [
  putAction({
    ...keys.relative(contactId, relativeContactId),
    type: 'Relative',
    contactId,
    relativeContactId,
    relationshipType,
    createdAt,
  } satisfies RelativeItem),
];

/** Removes the pair in both directions (A → B, then B → A). */
export const unlinkPairPlan = (a: number, b: number): Plan => [deleteAction(keys.relative(a, b)), deleteAction(keys.relative(b, a))];
