// Store primitives under faults DynamoDB Local cannot produce: conflicts, throttling, unprocessed keys.
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, BatchGetCommand, BatchWriteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { createSdkDb } from '../../lib/store/sdk-client.js';
import { batchGet } from '../../lib/store/reads.js';
import { commitChange, retryOnConflict, StoreConflict, transact, putAction, updateAction } from '../../lib/store/transactions.js';
import { ConflictError } from '../../lib/domain/errors.js';
import { runWithCorrelation } from '../../lib/observability/correlation.js';

const db = createSdkDb({ tableName: 't', region: 'eu-central-1' });
const ddb = mockClient(DynamoDBDocumentClient);

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'canceled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

beforeEach(() => ddb.reset());

describe('transact', () => {
  it('turns a failed condition into a StoreConflict with the reasons', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'ConditionalCheckFailed'));
    const error = await transact(db, [putAction({ pk: 'a', sk: 'b' })]).catch((e) => e);
    expect(error).toBeInstanceOf(StoreConflict);
    expect(error.reasons).toEqual([undefined, 'ConditionalCheckFailed']);
  });

  it('treats a transaction conflict as a lost race', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled('TransactionConflict'));
    await expect(transact(db, [putAction({ pk: 'a', sk: 'b' })])).rejects.toBeInstanceOf(StoreConflict);
  });

  it('lets throttling surface as an error (not a conflict, never swallowed)', async () => {
    ddb.on(TransactWriteCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(transact(db, [putAction({ pk: 'a', sk: 'b' })])).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
  });

  it('adds the table name to every action and sends one request', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await transact(db, [putAction({ pk: 'a', sk: 'b' }), putAction({ pk: 'c', sk: 'd' })]);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const input = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input;
    expect(input.TransactItems?.map((i) => i.Put?.TableName)).toEqual(['t', 't']);
  });

  it('refuses more than 100 actions instead of sending an invalid request', async () => {
    const actions = Array.from({ length: 101 }, (_, i) => putAction({ pk: `p${i}`, sk: 's' }));
    await expect(transact(db, actions)).rejects.toThrow(/exceeds 100/);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });
});

describe('correlation stamping', () => {
  it('stamps the current correlation id on every item a transaction puts or updates', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await runWithCorrelation('corr-1', () =>
      transact(db, [
        putAction({ pk: 'a', sk: 'b' }),
        updateAction({ pk: 'c', sk: 'd' }, { set: [[['x'], 1]] }),
        updateAction({ pk: 'e', sk: 'f' }, { remove: [['y']] }),
      ]),
    );
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]?.Put?.Item?.correlationId).toBe('corr-1');
    expect(items[1]?.Update?.UpdateExpression).toBe('SET #corr = :corr, #u0 = :u0');
    expect(items[2]?.Update?.UpdateExpression).toBe('SET #corr = :corr REMOVE #u0');
    expect(items[2]?.Update?.ExpressionAttributeValues?.[':corr']).toBe('corr-1');
  });

  it('writes items unchanged outside a request or event', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await transact(db, [putAction({ pk: 'a', sk: 'b' })]);
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]?.Put?.Item).toEqual({ pk: 'a', sk: 'b' });
  });
});

describe('commitChange', () => {
  it('uses one transaction up to 100 actions', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const rows = (n: number, p: string) => Array.from({ length: n }, (_, i) => putAction({ pk: `${p}${i}`, sk: 's' }));
    expect(await commitChange(db, { before: rows(40, 'b'), commit: rows(20, 'c'), after: rows(40, 'a') })).toEqual({ transactions: 1 });
  });

  it('above 100 actions commits the truth alone, after the index rows it needs', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const rows = (n: number, p: string) => Array.from({ length: n }, (_, i) => putAction({ pk: `${p}${i}`, sk: 's' }));
    expect(await commitChange(db, { before: rows(100, 'b'), commit: rows(3, 'c'), after: rows(5, 'a') })).toEqual({ transactions: 3 });
    const calls = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.[0]?.Put?.Item?.pk);
    expect(calls).toEqual(['b0', 'c0', 'a0']);
  });

  it('above 100 actions writes index rows by BatchWriteItem and the truth in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    const rows = Array.from({ length: 100 }, (_, i) => ({ put: { pk: `r${i}`, sk: 's' } }));
    expect(await commitChange(db, { indexBefore: rows, commit: [putAction({ pk: 'truth', sk: 's' })], indexAfter: [{ delete: { pk: 'old', sk: 's' } }] })).toEqual({
      transactions: 1,
    });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 5);
  });
});

describe('retryOnConflict', () => {
  it('runs the operation again on a lost race, then answers 409', async () => {
    let runs = 0;
    await expect(
      retryOnConflict(async () => {
        runs++;
        throw new StoreConflict(['ConditionalCheckFailed']);
      }, 3),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(runs).toBe(3);
  });

  it('returns the first successful result', async () => {
    let runs = 0;
    const result = await retryOnConflict(async () => {
      if (++runs < 2) throw new StoreConflict();
      return 'ok';
    });
    expect([result, runs]).toEqual(['ok', 2]);
  });

  it('does not retry other errors', async () => {
    let runs = 0;
    await expect(retryOnConflict(async () => {
      runs++;
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(runs).toBe(1);
  });
});

describe('batchGet', () => {
  it('reads consistently, retries unprocessed keys and splits above 100 keys', async () => {
    let first = true;
    ddb.on(BatchGetCommand).callsFake((input) => {
      const keys = input.RequestItems.t.Keys as { pk: string; sk: string }[];
      expect(input.RequestItems.t.ConsistentRead).toBe(true);
      if (first && keys.length === 100) {
        first = false;
        return { Responses: { t: keys.slice(1).map((k) => ({ ...k, v: 1 })) }, UnprocessedKeys: { t: { Keys: [keys[0]] } } };
      }
      return { Responses: { t: keys.map((k) => ({ ...k, v: 1 })) } };
    });
    const keys = Array.from({ length: 150 }, (_, i) => ({ pk: `p${i}`, sk: 's' }));
    const items = await batchGet(db, [...keys, keys[0]!]);
    expect(items.size).toBe(150);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 3);
  });
});
