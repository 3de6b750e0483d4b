// When DynamoDB cannot serve a request now — it throttles, it is unavailable, or it is too slow for the time left —
// the request answers 503 ServiceUnavailable with Retry-After (SPEC 5 conventions) instead of 500 General.
//
// Every change the service makes is one transaction (or, above 100 actions, a truth committed alone with superset
// index rows around it that readers verify), so a change that meets one of these errors is either not applied at all
// or, for a timeout, applied whole: never half-written for a reader. Retrying is safe either way.

/** Why DynamoDB could not serve: decides the Retry-After a client gets. */
export type Unavailability = 'throttled' | 'unavailable' | 'timeout';

/** Seconds a client should wait before retrying (throttling clears fast; an outage or a slow table may take longer). */
export const RETRY_AFTER_SECONDS: Readonly<Record<Unavailability, number>> = { throttled: 1, unavailable: 2, timeout: 2 };

/** Raised by the store itself: unprocessed keys or items after every retry, or no time left for another attempt. */
export class StoreUnavailable extends Error {
  constructor(
    readonly reason: Unavailability,
    message: string,
  ) {
    super(message);
    this.name = 'StoreUnavailable';
  }
}

const THROTTLED_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);
/** Cancellation reasons of a transaction that was refused for capacity, not for its conditions. */
const THROTTLED_CANCELLATIONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
const UNAVAILABLE_NAMES = new Set(['InternalServerError', 'ServiceUnavailable', 'ServiceUnavailableException']);
/** Node socket errors: the endpoint refused, dropped or never answered the connection. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

interface ErrorLike {
  name?: string;
  code?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  CancellationReasons?: { Code?: string }[];
}

/**
 * Whether an error means "DynamoDB cannot serve this now" (and why), following `cause` chains (libraries such as the
 * Powertools idempotency layer wrap the SDK's error). Undefined for any other error.
 */
export function unavailabilityOf(error: unknown): Unavailability | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    if (current instanceof StoreUnavailable) return current.reason;
    const e = current as ErrorLike;
    const name = e.name ?? '';
    if (THROTTLED_NAMES.has(name)) return 'throttled';
    if (name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => r?.Code !== undefined && THROTTLED_CANCELLATIONS.has(r.Code))) {
      return 'throttled';
    }
    if (TIMEOUT_NAMES.has(name) || e.code === 'ETIMEDOUT') return 'timeout';
    if (UNAVAILABLE_NAMES.has(name) || (e.code !== undefined && NETWORK_CODES.has(e.code))) return 'unavailable';
    if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return 'unavailable';
    current = e.cause;
  }
  return undefined;
}
