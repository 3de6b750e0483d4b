// Idempotency-Key (SPEC 5 conventions): Powertools idempotency records in the service table. A retry with the same key
// and payload gets the first result and runs nothing; the same key with another payload → 422; one still running → 409.
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import type { Context } from 'aws-lambda';
import type { Db } from '../store/client.js';
import { IdempotencyRecords } from '../store/idempotency-records.js';
import type { Caller } from '../domain/caller.js';
import { ConflictError, RuleViolationError } from '../domain/errors.js';

/** How long a key is remembered (the table's TTL removes the record afterwards). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/**
 * An in-flight record older than this counts as abandoned (a crashed attempt must not block its key for a day).
 * API Gateway answers within 30 s, so no live attempt is older.
 */
const IN_PROGRESS_WINDOW_MS = 30_000;

interface IdempotentRequest {
  /** Hashed into the record's key: the key is only ever compared within one caller's scope. */
  key: { scope: string; idempotencyKey: string };
  /** Hashed for validation: the same key with another payload is refused. */
  payload: JSONValue;
}

export interface OnceInput {
  /** Whose key it is (see `idempotencyScope`). */
  scope: string;
  /** The Idempotency-Key header; without one the command simply runs. */
  key: string | undefined;
  payload: unknown;
}

export type Once = <T extends JSONValue>(input: OnceInput, run: () => Promise<T>) => Promise<T>;

/** Two callers (or one caller on two resources) never share a key. */
export const idempotencyScope = (caller: Caller, ...resource: (string | number)[]) =>
  [caller.type, caller.subject, ...resource].join('|');

/** One idempotency store per command name (records live under `idempotency#<name>`). */
export function createIdempotency(db: Db, name: string): Once {
  const persistenceStore = new IdempotencyRecords(db, name);
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'payload',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    // Only getRemainingTimeInMillis is read: it bounds the in-progress window (see IN_PROGRESS_WINDOW_MS).
    lambdaContext: { getRemainingTimeInMillis: () => IN_PROGRESS_WINDOW_MS } as Partial<Context> as Context,
  });
  const idempotent = makeIdempotent(async (_request: IdempotentRequest, run: () => Promise<JSONValue>) => run(), {
    persistenceStore,
    config,
    keyPrefix: name,
    dataIndexArgument: 0,
  });

  return async <T extends JSONValue>(input: OnceInput, run: () => Promise<T>): Promise<T> => {
    if (input.key === undefined) return run();
    const request: IdempotentRequest = {
      key: { scope: input.scope, idempotencyKey: input.key },
      payload: (input.payload ?? null) as JSONValue,
    };
    try {
      return (await idempotent(request, run)) as T;
    } catch (error) {
      if (error instanceof IdempotencyValidationError) throw new RuleViolationError('IdempotencyKeyReused');
      if (error instanceof IdempotencyAlreadyInProgressError) throw new ConflictError('IdempotencyInProgress');
      throw error;
    }
  };
}
