// Faults injected into a real DynamoDB Local table: a Db whose requests fail when a predicate says so (throttling, an
// outage, a writer that stops half-way), everything else going through.
import type { Db } from '../../lib/store/client.js';

export interface SentCommand {
  constructor: { name: string };
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
  return single && !['GetCommand', 'QueryCommand'].includes(command.constructor.name) ? [...fromTransaction, `${String(single.pk)}|${String(single.sk)}`] : fromTransaction;
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
  const doc = new Proxy(base.doc, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: SentCommand, ...rest: unknown[]) => {
        const error = await fault(command);
        if (error) {
          failures++;
          throw error;
        }
        return (target.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
      };
    },
  });
  return Object.defineProperty({ ...base, doc }, 'failures', { get: () => failures }) as D & FaultyDb;
}

/** The error DynamoDB answers when it throttles a request. */
export const throttled = () => Object.assign(new Error('Throughput exceeds the current capacity of your table or index.'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
