// Reorganisation locks: none older than STALE_LOCK_MS. An older one is a reorganisation whose writer crashed or timed
// out; it is finished from the truth (declared parents and child rows), as any writer meeting it would.
import { keys } from '../../store/keys.js';
import { STALE_LOCK_MS, finishReorg } from '../../use-cases/hierarchy.js';
import type { Finding, IntegrityCheck } from '../finding.js';

export const reorgLocks: IntegrityCheck = {
  name: 'reorg-locks',
  derives: 'reorganisation locks on members (none may be older than 60 s)',
  run(snapshot, { now }) {
    // One finding per abandoned reorganisation (its root), listing the members it still holds.
    const abandoned = new Map<number, { kind: string; since: string; memberIds: number[] }>();
    for (const member of snapshot.members.values()) {
      const lock = member.reorg;
      if (!lock || now - Date.parse(lock.since) < STALE_LOCK_MS) continue;
      const entry = abandoned.get(lock.rootId) ?? { kind: lock.kind, since: lock.since, memberIds: [] };
      entry.memberIds.push(member.memberId);
      abandoned.set(lock.rootId, entry);
    }
    return [...abandoned].map(([rootId, { kind, since, memberIds }]): Finding => {
      const locked = memberIds.sort((a, b) => a - b);
      return {
        check: 'reorg-locks',
        kind: 'stale-lock',
        severity: 'disagreement',
        subject: keys.member(rootId),
        sources: locked.map(keys.member),
        message: `a ${kind} of member ${rootId} was abandoned (locked since ${since}); ${locked.length} member(s) still locked: ${locked.slice(0, 20).join(', ')}${locked.length > 20 ? ', …' : ''}`,
        repair: { action: `finish the ${kind} of member ${rootId} from the declared parents and child rows`, run: (db) => finishReorg(db, rootId) },
      };
    });
  },
};
