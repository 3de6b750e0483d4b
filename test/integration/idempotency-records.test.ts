// The idempotency records kept by the store's client (lib/store/idempotency-records.ts) and those of Powertools' own
// DynamoDB layer are the same items: during a rolling deployment a key taken by one is honoured by the other.
import { beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyConfig, IdempotencyItemAlreadyExistsError, IdempotencyRecordStatus, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { createTestDb, type TestDb } from '../support/db.js';
import { createSdkClient } from '../../lib/store/sdk-client.js';
import { IdempotencyRecords } from '../../lib/store/idempotency-records.js';
import { TABLE_DEFINITION, TABLE_KEYS } from '../../lib/store/table.js';

const command = 'test.compat';
let db: TestDb;
let ours: IdempotencyRecords;
let theirs: DynamoDBPersistenceLayer;

beforeAll(async () => {
  db = await createTestDb('crs-idem');
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'key', payloadValidationJmesPath: 'payload', throwOnNoIdempotencyKey: true });
  ours = new IdempotencyRecords(db, command);
  theirs = new DynamoDBPersistenceLayer({
    tableName: db.tableName,
    keyAttr: TABLE_KEYS.partitionKey,
    sortKeyAttr: TABLE_KEYS.sortKey,
    expiryAttr: TABLE_DEFINITION.timeToLiveAttribute,
    staticPkValue: `idempotency#${command}`,
    awsSdkV3Client: createSdkClient(db.connection),
  });
  for (const layer of [ours, theirs]) layer.configure({ config, keyPrefix: command });
});

const request = (key: string, payload: unknown = { name: 'HH' }) => ({ key, payload }) as never;

describe('idempotency records', () => {
  it("a key Powertools' layer took is in progress for ours, and ours cannot take it", async () => {
    await theirs.saveInProgress(request('k1'), 30_000);
    expect((await ours.getRecord(request('k1'))).getStatus()).toBe(IdempotencyRecordStatus.INPROGRESS);
    const taken = await ours.saveInProgress(request('k1'), 30_000).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(IdempotencyItemAlreadyExistsError);
    // The record as stored comes back with the refusal (the handler tells "in progress" without another read).
    expect((taken as IdempotencyItemAlreadyExistsError).existingRecord?.getStatus()).toBe(IdempotencyRecordStatus.INPROGRESS);
  });

  it("a result ours saved is Powertools' result, and the other way round", async () => {
    await ours.saveInProgress(request('k2'), 30_000);
    await ours.saveSuccess(request('k2'), { id: 7, name: 'HH' });
    const read = await theirs.getRecord(request('k2'));
    expect(read.getStatus()).toBe(IdempotencyRecordStatus.COMPLETED);
    expect(read.responseData).toEqual({ id: 7, name: 'HH' });

    await theirs.saveInProgress(request('k3'), 30_000);
    await theirs.saveSuccess(request('k3'), { id: 8 });
    expect((await ours.getRecord(request('k3'))).responseData).toEqual({ id: 8 });
  });

  it('the same key with another payload is refused by either', async () => {
    await ours.saveInProgress(request('k4', { name: 'first' }), 30_000);
    await ours.saveSuccess(request('k4', { name: 'first' }), { id: 9 });
    await expect(theirs.getRecord(request('k4', { name: 'second' }))).rejects.toBeInstanceOf(IdempotencyValidationError);
    await expect(ours.getRecord(request('k4', { name: 'second' }))).rejects.toBeInstanceOf(IdempotencyValidationError);
  });

  it('a deleted record frees the key (a failed command may be tried again)', async () => {
    await ours.saveInProgress(request('k5'), 30_000);
    await ours.deleteRecord(request('k5'));
    await expect(theirs.saveInProgress(request('k5'), 30_000)).resolves.toBeUndefined();
  });
});
