// The Powertools idempotency layer's records, kept by the store's own client instead of the SDK's: a persistence layer
// (Powertools' documented extension point, BasePersistenceLayer) that writes exactly the items and conditions of its
// DynamoDBPersistenceLayer, so records written by either are read by the other (a rolling deployment mixes them).
import { IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyRecordStatus, PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS } from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import type { Db } from './client.js';
import { TABLE_DEFINITION, TABLE_KEYS } from './table.js';
import { keys } from './keys.js';

const { statusAttr, inProgressExpiryAttr, dataAttr, validationKeyAttr } = PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS;
const expiryAttr = TABLE_DEFINITION.timeToLiveAttribute;
const pkAttr = TABLE_KEYS.partitionKey;
const skAttr = TABLE_KEYS.sortKey;

type Stored = Record<string, unknown>;

/** One command's records (`idempotency#<command>` partition, the idempotency key as sort key). */
export class IdempotencyRecords extends BasePersistenceLayer {
  private readonly partition: string;

  constructor(
    private readonly db: Db,
    command: string,
  ) {
    super();
    this.partition = keys.idempotencyPartition(command);
  }

  private key(idempotencyKey: string) {
    return { [pkAttr]: this.partition, [skAttr]: idempotencyKey };
  }

  private record(item: Stored) {
    return new IdempotencyRecord({
      idempotencyKey: item[skAttr] as string,
      status: item[statusAttr] as ReturnType<IdempotencyRecord['getStatus']>,
      expiryTimestamp: item[expiryAttr] as number | undefined,
      inProgressExpiryTimestamp: item[inProgressExpiryAttr] as number | undefined,
      responseData: item[dataAttr] as IdempotencyRecord['responseData'],
      payloadHash: item[validationKeyAttr] as string | undefined,
    });
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const { Item } = await this.db.doc.get({ TableName: this.db.tableName, Key: this.key(idempotencyKey), ConsistentRead: true });
    if (!Item) throw new IdempotencyItemNotFoundError();
    return this.record(Item);
  }

  /** Taken when no live record holds the key: none, an expired one, or an in-progress one whose window passed. */
  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const now = Date.now();
    try {
      await this.db.doc.put({
        TableName: this.db.tableName,
        Item: {
          ...this.key(record.idempotencyKey),
          [expiryAttr]: record.expiryTimestamp,
          [statusAttr]: record.getStatus(),
          ...(record.inProgressExpiryTimestamp !== undefined && { [inProgressExpiryAttr]: record.inProgressExpiryTimestamp }),
          ...(this.isPayloadValidationEnabled() && record.payloadHash !== undefined && { [validationKeyAttr]: record.payloadHash }),
        },
        ConditionExpression: 'attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
        ExpressionAttributeNames: { '#id': pkAttr, '#expiry': expiryAttr, '#in_progress_expiry': inProgressExpiryAttr, '#status': statusAttr },
        ExpressionAttributeValues: { ':now': now / 1000, ':now_in_millis': now, ':inprogress': IdempotencyRecordStatus.INPROGRESS },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    } catch (error) {
      const failed = error as { name?: string; Item?: Stored };
      if (failed.name !== 'ConditionalCheckFailedException') throw error;
      throw new IdempotencyItemAlreadyExistsError(`Failed to put record for already existing idempotency key: ${record.idempotencyKey}`, failed.Item && this.record(failed.Item));
    }
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const names: Record<string, string> = { '#expiry': expiryAttr, '#status': statusAttr };
    const values: Record<string, unknown> = { ':expiry': record.expiryTimestamp, ':status': record.getStatus() };
    if (record.responseData !== undefined) {
      names['#response_data'] = dataAttr;
      values[':response_data'] = record.responseData;
    }
    if (this.isPayloadValidationEnabled()) {
      names['#validation_key'] = validationKeyAttr;
      values[':validation_key'] = record.payloadHash;
    }
    await this.db.doc.update({
      TableName: this.db.tableName,
      Key: this.key(record.idempotencyKey),
      UpdateExpression: `SET ${Object.keys(names).map((name) => `${name} = :${name.slice(1)}`).join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await this.db.doc.delete({ TableName: this.db.tableName, Key: this.key(record.idempotencyKey) });
  }
}
