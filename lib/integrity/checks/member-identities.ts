// Identity items (the subject of every check): one per live member, naming it, with its participant and isActive.
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { checkAction, deleteAction, putAction, transact, updateAction } from '../../store/transactions.js';
import { isLive, revOf } from '../../store/members.js';
import type { IdentityItem } from '../../store/items.js';
import type { Finding, IntegrityCheck } from '../finding.js';

const check = 'member-identities';

export const memberIdentities: IntegrityCheck = {
  name: check,
  derives: "identity items, from the live members' identityId, participantUid and isActive",
  run(snapshot) {
    const findings: Finding[] = [];
    for (const member of snapshot.members.values()) {
      if (!isLive(member)) continue;
      const key = keys.identity(member.identityId);
      const identity = snapshot.get<IdentityItem>(key);
      const memberKey = keys.member(member.memberId);
      if (!identity) {
        const item: IdentityItem = {
          ...key,
          sk: 'IDENTITY',
          type: 'Identity',
          identityId: member.identityId,
          memberId: member.memberId,
          ...(member.participantUid !== undefined && { participantUid: member.participantUid }),
          isActive: member.isActive,
          version: 1,
        };
        findings.push({
          check, kind: 'missing-identity', severity: 'disagreement', subject: key, sources: [memberKey],
          message: `member ${member.memberId} has no identity item (its checks answer 404)`,
          repair: { action: `put the identity of member ${member.memberId}`, run: (db) => transact(db, [putAction(item, cond.absent()), checkAction(memberKey, cond.revIs(revOf(member)))]) },
        });
        continue;
      }
      if (identity.memberId !== member.memberId) continue; // judged below, from the identity's side
      if (identity.isActive !== member.isActive || identity.participantUid !== member.participantUid) {
        findings.push({
          check, kind: 'stale-fields', severity: 'disagreement', subject: key, sources: [memberKey],
          message: `identity says isActive=${identity.isActive}, participant ${identity.participantUid ?? 'none'}; member ${member.memberId} says isActive=${member.isActive}, participant ${member.participantUid ?? 'none'}`,
          repair: {
            action: `copy isActive and participantUid of member ${member.memberId} onto its identity`,
            run: (db) =>
              transact(db, [
                updateAction(key, {
                  set: [[['isActive'], member.isActive], ...(member.participantUid !== undefined ? [[['participantUid'], member.participantUid] as const] : [])],
                  remove: member.participantUid === undefined ? [['participantUid']] : [],
                  increment: [[['version'], 1]],
                  condition: cond.versionIs(identity.version),
                }),
                checkAction(memberKey, cond.revIs(revOf(member))),
              ]),
          },
        });
      }
    }
    for (const identity of snapshot.identities.values()) {
      const member = snapshot.members.get(identity.memberId);
      if (isLive(member) && member.identityId.toLowerCase() === identity.identityId.toLowerCase()) continue;
      const key = keys.identity(identity.identityId);
      const memberKey = keys.member(identity.memberId);
      findings.push({
        check, kind: 'orphan-identity', severity: 'disagreement', subject: key, sources: [memberKey],
        message: !member ? `identity of member ${identity.memberId}, which does not exist` : !isLive(member) ? `identity of member ${identity.memberId}, which is deleted` : `identity names member ${identity.memberId}, whose identity is ${member.identityId}`,
        repair: {
          action: `delete the identity ${identity.identityId}`,
          run: (db) => transact(db, [deleteAction(key, cond.versionIs(identity.version)), checkAction(memberKey, member ? cond.revIs(revOf(member)) : cond.absent())]),
        },
      });
    }
    return findings;
  },
};
