// Counts DynamoDB requests and sequential round trips through a client middleware (tests and benchmarks measure with it).
import type { Db } from './client.js';

export interface RequestLog {
  /** Commands in the order they started. */
  readonly commands: string[];
  /** Sequential round trips: requests that started after every earlier request had finished (overlapping ones form one). */
  rounds(): number;
  reset(): void;
}

export function attachRequestLog(db: Db): RequestLog {
  const commands: string[] = [];
  let spans: { start: number; end: number }[] = [];
  let seq = 0;
  db.doc.use(async (request, next) => {
    const span = { start: seq++, end: Number.POSITIVE_INFINITY };
    spans.push(span);
    commands.push(request.operation);
    try {
      return await next(request);
    } finally {
      span.end = seq++;
    }
  });
  return {
    commands,
    rounds() {
      let rounds = 0;
      let frontier = -1;
      for (const span of [...spans].sort((a, b) => a.start - b.start)) {
        if (span.start > frontier) rounds++;
        frontier = Math.max(frontier, span.end);
      }
      return rounds;
    },
    reset() {
      commands.length = 0;
      spans = [];
    },
  };
}
