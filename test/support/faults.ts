// Faults injected into a real DynamoDB Local table: a Db whose requests fail when a predicate says so (throttling, an
// outage, a writer that stops half-way), everything else going through.
import type { Db, Operation, Request } from '../../lib/store/client.js';

export interface SentCommand {
  operation: Operation;
  input: {
    TransactItems?: { Put?: { Item?: Record<string, unknown> }; Update?: { Key?: { pk: string; sk: string }; UpdateExpression?: string }; Delete?: { Key?: { pk: string; sk: string } }; ConditionCheck?: unknown }[];
    RequestItems?: Record<string, unknown>;
    Key?: { pk: string; sk: string };
    Item?: Record<string, unknown>;
  };
}

/** The keys a command writes (transaction items, a single put/update/delete). */
export function writtenKeys(command: SentCommand): string[] {
  const items = command.input.TransactItems ?? [];
  const fromTransaction = items.flatMap((t) => {
    const key = t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key;
    return key ? [`${String(key.pk)}|${String(key.sk)}`] : [];
  });
  const single = command.input.Item ?? command.input.Key;
  return single && !['GetItemCommand', 'QueryCommand'].includes(command.operation) ? [...fromTransaction, `${String(single.pk)}|${String(single.sk)}`] : fromTransaction;
}

export interface FaultyDb extends Db {
  /** Requests refused so far. */
  readonly failures: number;
}

/**
 * A Db sending every request to the real table, except those `fault` returns an error for (that error is thrown
 * instead, as the SDK would throw it, and nothing is sent). `fault` may also act before the request goes (a concurrent
 * writer committing first).
 */
export function withFaults<D extends Db>(base: D, fault: (command: SentCommand) => Error | undefined | Promise<Error | undefined>): D & FaultyDb {
  let failures = 0;
  const doc = base.doc.with(async (request: Request, next) => {
    const error = await fault(request as SentCommand);
    if (error) {
      failures++;
      throw error;
    }
    return next(request);
  });
  return Object.defineProperty({ ...base, doc }, 'failures', { get: () => failures }) as D & FaultyDb;
}

/** The error DynamoDB answers when it throttles a request. */
export const throttled = () => Object.assign(new Error('Throughput exceeds the current capacity of your table or index.'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
