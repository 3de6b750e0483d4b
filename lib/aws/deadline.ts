// How long the work in progress may wait for DynamoDB: the client's timeouts and retries, and the deadline of the
// current request or event, so that a function gives up with a clean 503 (or a retried event) before its own timeout
// kills it.
//
// The client (dynamodb-https.ts, or the SDK's behind createSdkDb) makes at most `maxAttempts` attempts per call; each
// attempt is bounded by `requestTimeoutMs`, and between two attempts it pauses at most MAX_RETRY_PAUSE_MS (the SDK's
// standard retry mode with 3 attempts: throttling ≤ 1 s then ≤ 2 s).
// Before every attempt the client checks the deadline, so the last attempt starts before it, and the
// answer leaves at most `requestTimeoutMs + MAX_RETRY_PAUSE_MS + ANSWER_MS` after it: that is the margin kept before the
// function's end.
import { AsyncLocalStorage } from 'node:async_hooks';
import { StoreUnavailable } from './unavailable.js';

/** The functions' timeouts (infra/ sets them from here): API functions and the ingest function. */
export const FUNCTION_TIMEOUT_MS = { api: 10_000, ingest: 30_000 } as const;

export interface SdkTimeouts {
  /** Time to open a connection. */
  readonly connectionTimeoutMs: number;
  /** Time for one attempt's answer (the SDK retries a timed-out attempt). */
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
}

export const SDK_TIMEOUTS = {
  /** A deployed table answers single-digit milliseconds; 2 s is a stuck connection, not a slow item. */
  aws: { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 },
  /**
   * DynamoDB Local on a busy development machine (a JVM collecting garbage, a test run on 2 cores) may pause longer,
   * also before it accepts a connection (a stopped one refuses at once: an outage is still noticed without delay).
   */
  local: { connectionTimeoutMs: 3_000, requestTimeoutMs: 5_000, maxAttempts: 3 },
  /**
   * Operator tools (verify-table, migrate) and bench:scale: no function deadline, 1 MB Scan pages, and patience through
   * throttling. No connection timeout: the SDK's timer ran while a request waited for one of the client's sockets, and
   * these tools queue thousands of writes on them (a bulk load failed with "did not establish a connection" at 10 s);
   * the store's own client starts its timers only once a request has a socket.
   */
  operator: { connectionTimeoutMs: 0, requestTimeoutMs: 15_000, maxAttempts: 8 },
} as const satisfies Record<string, SdkTimeouts>;

/** The longest pause between two of 3 attempts (the SDK's throttling backoff: ≤ 1 s, then ≤ 2 s). */
export const MAX_RETRY_PAUSE_MS = 2_000;
/** Kept to shape and send the answer after the last DynamoDB call. */
const ANSWER_MS = 500;
/** An attempt is not started with less time than this before the deadline. */
const MIN_ATTEMPT_MS = 50;

/** How long before the function's end no new DynamoDB attempt may start. */
export const deadlineMargin = (timeouts: SdkTimeouts) => timeouts.requestTimeoutMs + MAX_RETRY_PAUSE_MS + ANSWER_MS;

const storage = new AsyncLocalStorage<{ endsAt: number }>();

/** Runs `work` with the invocation ending `remainingMs` from now. */
export function runInInvocation<T>(remainingMs: number, work: () => Promise<T>): Promise<T> {
  return storage.run({ endsAt: Date.now() + remainingMs }, work);
}

/**
 * Runs `work` within the invocation of this Lambda context (its remaining time); without one (a test calling a
 * handler directly) there is no deadline. A handler's whole run goes inside: a store entered part-way (middy's
 * `before`) would not reach the handler's later DynamoDB calls.
 */
export function inInvocation<T>(context: { getRemainingTimeInMillis?: () => number } | undefined, work: () => Promise<T>): Promise<T> {
  const remaining = context?.getRemainingTimeInMillis?.();
  return typeof remaining === 'number' && Number.isFinite(remaining) && remaining > 0 ? runInInvocation(remaining, work) : work();
}

/**
 * Called before every DynamoDB attempt: refuses to start one the function could not wait for (StoreUnavailable
 * 'timeout', answered 503). Outside an invocation (tests, operator tools) there is no deadline.
 */
export function assertTimeForAttempt(timeouts: SdkTimeouts, now = Date.now()): void {
  const endsAt = storage.getStore()?.endsAt;
  if (endsAt === undefined) return;
  const deadline = endsAt - deadlineMargin(timeouts);
  if (deadline - now < MIN_ATTEMPT_MS) {
    throw new StoreUnavailable('timeout', `no time left for another DynamoDB attempt (${Math.max(0, endsAt - now)} ms before the function's timeout)`);
  }
}
