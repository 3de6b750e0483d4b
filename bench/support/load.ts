// Closed-loop load (a fixed number of requests in flight) on two targets in alternating slices, so that a scenario and
// its baseline see the same machine: requests/s over each side's own time, and latency percentiles.

export type Send = () => Promise<number>;

export interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function slice(send: Send, requests: number, concurrency: number, latencies: number[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const t = performance.now();
        await send();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return performance.now() - started;
}

const figures = (latencies: number[], requests: number, ms: number): LoadFigures => {
  latencies.sort((a, b) => a - b);
  return { requestsPerSecond: requests / (ms / 1000), p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
};

/** `requests` per side, in `slices` alternating slices (baseline first), after `warmup` requests on each. */
export async function alternatingLoad(
  scenario: Send,
  baseline: Send,
  options: { requests: number; concurrency: number; slices: number; warmup: number },
): Promise<{ scenario: LoadFigures; baseline: LoadFigures }> {
  for (let i = 0; i < options.warmup; i++) {
    await baseline();
    await scenario();
  }
  const per = Math.ceil(options.requests / options.slices);
  const a = { latencies: [] as number[], ms: 0 };
  const b = { latencies: [] as number[], ms: 0 };
  for (let s = 0; s < options.slices; s++) {
    b.ms += await slice(baseline, per, options.concurrency, b.latencies);
    a.ms += await slice(scenario, per, options.concurrency, a.latencies);
  }
  return { scenario: figures(a.latencies, per * options.slices, a.ms), baseline: figures(b.latencies, per * options.slices, b.ms) };
}
