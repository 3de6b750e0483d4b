// verify-table: recomputes every derived datum from its source (checks/index.ts) over a scan of the table, confirms each
// disagreement by reading its items again (a table under traffic is scanned over time, so a change in flight may look
// like one), and — when asked — repairs what the source of truth decides, with conditional writes, until nothing
// repairable is left. See infra/ops/verify-table.ts for the command line.
import type { Db } from '../store/client.js';
import { StoreConflict } from '../store/transactions.js';
import { CHECKS } from './checks/index.js';
import { findingId, show, type Finding, type IntegrityCheck } from './finding.js';
import { ReadBudget, TableSnapshot, readAgain, scanTable } from './snapshot.js';

export interface VerifyOptions {
  /** Parallel Scan segments (default 4). */
  segments?: number;
  /** Read capacity units per second, on average, for every read of the run (default: no limit). */
  rate?: number;
  checks?: readonly IntegrityCheck[];
  /** The clock (ages of locks and pending creations). */
  now?: () => number;
  log?: (line: string) => void;
}

export interface VerifyResult {
  /** Items scanned. */
  scanned: number;
  /** Confirmed findings, in check order. */
  findings: Finding[];
  /** Findings of the scan whose items changed before they were read again: not judged (run again). */
  unsettled: Finding[];
  disagreements: number;
  tolerated: number;
  /** Read capacity units consumed (as DynamoDB reports them). */
  readUnits: number;
  durationMs: number;
}

function judge(snapshot: TableSnapshot, checks: readonly IntegrityCheck[], now: number): Finding[] {
  return checks.flatMap((check) => check.run(snapshot, { now }));
}

/** Scans the table and reports every confirmed disagreement and tolerated leftover. Reads only. */
export async function verifyTable(db: Db, options: VerifyOptions = {}, budget = new ReadBudget(options.rate)): Promise<VerifyResult> {
  const started = Date.now();
  const checks = options.checks ?? CHECKS;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const scan = () => scanTable(db, { segments: options.segments ?? 4, budget }).then((items) => new TableSnapshot(items));
  const snapshot = await scan();
  log(`scanned ${snapshot.items.length} items (${budget.consumed.toFixed(1)} read units)`);
  const first = judge(snapshot, checks, now());
  let confirmed: Finding[] = [];
  if (first.length > 0) {
    // Read every item a finding was judged from again, judge again: only what persists is reported.
    const fresh = await readAgain(db, first.flatMap((f) => [f.subject, ...f.sources]), budget);
    const firstIds = new Set(first.map(findingId));
    confirmed = judge(snapshot.patched(fresh), checks, now()).filter((f) => firstIds.has(findingId(f)));
    // Findings no key lookup can confirm (their sources are found only by scanning) must persist in a second scan.
    const rescanned = checks.filter((c) => c.confirmBy === 'rescan' && confirmed.some((f) => f.check === c.name));
    if (rescanned.length > 0) {
      log(`confirming ${rescanned.map((c) => c.name).join(', ')} by a second scan`);
      const names = new Set(rescanned.map((c) => c.name));
      const ids = new Set(confirmed.filter((f) => names.has(f.check)).map(findingId));
      const again = judge(await scan(), rescanned, now()).filter((f) => ids.has(findingId(f)));
      confirmed = [...confirmed.filter((f) => !names.has(f.check)), ...again];
    }
  }
  const order = new Map(checks.map((c, i) => [c.name, i]));
  confirmed.sort((a, b) => order.get(a.check)! - order.get(b.check)!);
  const confirmedIds = new Set(confirmed.map(findingId));
  return {
    scanned: snapshot.items.length,
    findings: confirmed,
    unsettled: first.filter((f) => !confirmedIds.has(findingId(f))),
    disagreements: confirmed.filter((f) => f.severity === 'disagreement').length,
    tolerated: confirmed.filter((f) => f.severity === 'tolerated').length,
    readUnits: budget.consumed,
    durationMs: Date.now() - started,
  };
}

export interface RepairOutcome {
  finding: Finding;
  /** `skipped`: an item it was conditioned on changed since it was read (the next pass or run judges the new state). */
  outcome: 'applied' | 'skipped' | 'failed';
  error?: string;
}

export interface RepairResult {
  /** The table before any repair. */
  before: VerifyResult;
  /** What each pass tried. */
  passes: RepairOutcome[][];
  /** The table after the last pass. */
  after: VerifyResult;
}

/** Applies the repairs of the findings, one check after another (a few at a time within a check). */
export async function applyRepairs(db: Db, findings: readonly Finding[], log: (line: string) => void = () => undefined, concurrency = 8): Promise<RepairOutcome[]> {
  const outcomes: RepairOutcome[] = [];
  const byCheck = new Map<string, Finding[]>();
  for (const f of findings) if (f.repair) byCheck.set(f.check, [...(byCheck.get(f.check) ?? []), f]);
  for (const group of byCheck.values()) {
    let next = 0;
    const worker = async () => {
      while (next < group.length) {
        const finding = group[next++]!;
        try {
          await finding.repair!.run(db);
          outcomes.push({ finding, outcome: 'applied' });
          log(`repaired ${finding.check} ${show(finding.subject)}${finding.ref ? ` (${finding.ref})` : ''}: ${finding.repair!.action}`);
        } catch (error) {
          const conflict = error instanceof StoreConflict;
          outcomes.push({ finding, outcome: conflict ? 'skipped' : 'failed', error: (error as Error).message });
          log(`${conflict ? 'skipped (changed since it was read)' : `FAILED (${(error as Error).message})`} ${finding.check} ${show(finding.subject)}${finding.ref ? ` (${finding.ref})` : ''}: ${finding.repair!.action}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, group.length) }, worker));
  }
  return outcomes;
}

/**
 * Verifies, repairs what the source of truth decides, and verifies again, for up to `maxPasses` passes (a repair can
 * uncover another, e.g. a finished reorganisation leaves lists to judge). Idempotent: a clean table is left as it is.
 */
export async function repairTable(db: Db, options: VerifyOptions & { maxPasses?: number } = {}): Promise<RepairResult> {
  const log = options.log ?? (() => undefined);
  const budget = new ReadBudget(options.rate);
  const before = await verifyTable(db, options, budget);
  const passes: RepairOutcome[][] = [];
  let after = before;
  for (let pass = 1; pass <= (options.maxPasses ?? 3); pass++) {
    const repairable = after.findings.filter((f) => f.repair);
    if (repairable.length === 0) break;
    log(`repair pass ${pass}: ${repairable.length} repair(s)`);
    const outcomes = await applyRepairs(db, repairable, log);
    passes.push(outcomes);
    after = await verifyTable(db, options, budget);
    if (!outcomes.some((o) => o.outcome === 'applied')) break;
  }
  return { before, passes, after };
}

/** One line per finding, as the command prints it. */
export function formatFinding(f: Finding): string {
  return `${f.severity === 'disagreement' ? 'DISAGREEMENT' : 'tolerated   '} ${f.check}/${f.kind} ${show(f.subject)}${f.ref ? ` (${f.ref})` : ''}: ${f.message}${f.repair ? '' : ' [no automatic repair]'}`;
}

/** Counts by check and kind, for summaries. */
export function countByKind(findings: readonly Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[`${f.check}/${f.kind}`] = (out[`${f.check}/${f.kind}`] ?? 0) + 1;
  return out;
}
