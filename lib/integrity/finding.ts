// What an integrity check reports: a disagreement between a derived datum and its source (or a tolerated leftover), the
// keys of the items involved, and — when the source of truth decides it — a conditional repair.
import type { Db } from '../store/client.js';
import type { Key } from '../store/keys.js';
import { keyString } from '../store/reads.js';
import type { TableSnapshot } from './snapshot.js';

/**
 * `disagreement`: a derived datum is not what its source implies (an answer may be wrong, or a writer's invariant is
 * broken). `tolerated`: allowed by the design and harmless to every answer — a superset entry a failed change left
 * behind, a copy a writer skipped, an abandoned pending creation — but removable.
 */
export type Severity = 'disagreement' | 'tolerated';

export interface Repair {
  /** What the repair writes, for the operator (printed as it is applied). */
  readonly action: string;
  /**
   * Applies it with writes conditioned on the items as read (a concurrent change makes it fail with StoreConflict:
   * skipped, the next run judges the new state). Idempotent: applying it twice changes nothing more.
   */
  run(db: Db): Promise<void>;
}

export interface Finding {
  /** The check that found it (its module's name). */
  readonly check: string;
  /** What is wrong, e.g. `wrong-count`, `missing-row`, `leftover`. */
  readonly kind: string;
  readonly severity: Severity;
  /** The item holding the wrong (or superfluous, or missing) datum. */
  readonly subject: Key;
  /** Which datum of the subject, when it holds several (e.g. `member 7`, `group 12`). */
  readonly ref?: string;
  /** The items it was judged from (read again before the finding is reported). */
  readonly sources: readonly Key[];
  readonly message: string;
  /** Absent when the source of truth does not decide the fix (an operator must). */
  readonly repair?: Repair;
}

/** What a check knows besides the table. */
export interface CheckContext {
  /** Milliseconds since the epoch when the judging started (ages of locks and pending creations). */
  readonly now: number;
}

/**
 * One derived datum: how to recompute it from its source and compare. Checks are independent (each judges the
 * snapshot alone); new item types bring their own check module (registered in checks/index.ts).
 */
export interface IntegrityCheck {
  readonly name: string;
  /** One line: the derived datum and its source. */
  readonly derives: string;
  /**
   * `reread` (default): a finding's subject and sources are all its judgment depends on, so reading them again confirms
   * it. `rescan`: the judgment depends on items no key lookup finds (e.g. every entity linked to a group), so a finding
   * is confirmed only by a second scan.
   */
  readonly confirmBy?: 'reread' | 'rescan';
  run(snapshot: TableSnapshot, context: CheckContext): Finding[];
}

/** The identity of a finding across scans: the same check, kind and subject. */
export const findingId = (f: Pick<Finding, 'check' | 'kind' | 'subject' | 'ref'>) => `${f.check}|${f.kind}|${keyString(f.subject)}|${f.ref ?? ''}`;

/** `PK|SK` of a key, as findings print it. */
export const show = (k: Key) => keyString(k);
