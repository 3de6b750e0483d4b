// Relative rows: every row A→B of type T has its reciprocal B→A of type reciprocal(T), and both contacts exist.
// A row whose contact is gone is a tolerated leftover of a contact deletion that failed part-way (readers skip it);
// a row without its reciprocal between two live contacts is a disagreement, repaired by writing the reciprocal (the
// row says what the link is); reciprocals of mismatched types need an operator (neither side decides).
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { keyString } from '../../store/reads.js';
import { checkAction, deleteAction, putAction, transact, updateAction } from '../../store/transactions.js';
import type { RelativeItem } from '../../store/items.js';
import { findRelativeRelationshipType, reciprocalOf } from '../../domain/catalogues.js';
import type { Finding, IntegrityCheck } from '../finding.js';

const check = 'relatives';

export const relatives: IntegrityCheck = {
  name: check,
  derives: 'reciprocal relative rows, from each row and its type',
  run(snapshot) {
    const findings: Finding[] = [];
    for (const row of snapshot.relatives.values()) {
      const { contactId: a, relativeContactId: b } = row;
      const subject = keys.relative(a, b);
      const reciprocalKey = keys.relative(b, a);
      const profileA = keys.contactProfile(a);
      const profileB = keys.contactProfile(b);
      const sources = [profileA, profileB, reciprocalKey];
      const aExists = snapshot.profiles.has(a);
      const bExists = snapshot.profiles.has(b);
      if (!aExists || !bExists) {
        const gone = !aExists ? a : b;
        findings.push({
          check, kind: 'leftover', severity: 'tolerated', subject, sources,
          message: `a ${row.relationshipType} row ${a} → ${b}, but contact ${gone} does not exist (a leftover of its deletion; readers skip it)`,
          repair: {
            action: `delete the row ${a} → ${b}`,
            run: (db) => transact(db, [deleteAction(subject), checkAction(keys.contactProfile(gone), cond.absent())]),
          },
        });
        continue;
      }
      const type = findRelativeRelationshipType(row.relationshipType)?.systemName;
      const reciprocal = snapshot.get<RelativeItem>(reciprocalKey);
      if (!type) {
        findings.push({ check, kind: 'unknown-type', severity: 'disagreement', subject, sources, message: `row ${a} → ${b} has the unknown type "${row.relationshipType}"` });
        continue;
      }
      if (!reciprocal) {
        const item: RelativeItem = { ...reciprocalKey, type: 'Relative', contactId: b, relativeContactId: a, relationshipType: reciprocalOf(type), createdAt: row.createdAt };
        findings.push({
          check, kind: 'one-sided', severity: 'disagreement', subject, sources,
          message: `contact ${a} lists ${b} as ${type}, but ${b} does not list ${a} (as ${reciprocalOf(type)})`,
          repair: {
            action: `put the reciprocal row ${b} → ${a} (${reciprocalOf(type)})`,
            run: (db) =>
              transact(db, [
                putAction(item, cond.absent()),
                checkAction(subject, { ConditionExpression: 'relationshipType = :t', ExpressionAttributeValues: { ':t': row.relationshipType } }),
                // Both contacts' links move, as a link written by the API does: a deletion of either that read the
                // relatives before retries and removes this row too.
                updateAction(keys.contactLinks(a), { increment: [[['version'], 1]], condition: cond.exists() }),
                updateAction(keys.contactLinks(b), { increment: [[['version'], 1]], condition: cond.exists() }),
              ]),
          },
        });
        continue;
      }
      // A mismatched pair is reported once, from its smaller contact id.
      if (reciprocal.relationshipType !== reciprocalOf(type) && a < b) {
        findings.push({
          check, kind: 'mismatched-types', severity: 'disagreement', subject, sources,
          message: `contact ${a} lists ${b} as ${type} and ${b} lists ${a} as ${reciprocal.relationshipType} (expected ${reciprocalOf(type)}): re-PUT the pair with the right type`,
        });
      }
      if (keyString(subject) === keyString(reciprocalKey)) {
        findings.push({ check, kind: 'self-relative', severity: 'disagreement', subject, sources: [], message: `contact ${a} is listed as its own relative` });
      }
    }
    return findings;
  },
};
