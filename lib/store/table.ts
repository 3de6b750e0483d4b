// The one definition of the single table: CDK, the local runtime and the tests all build the table from this.

export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Non-key attributes copied into the index (its entries stay small: a read is charged per KB of the entry). */
  readonly projection: { readonly type: 'KEYS_ONLY' } | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] } | { readonly type: 'ALL' };
  /** The access pattern this index serves (documented in docs/data-model.md). */
  readonly serves: string;
}

/**
 * Global secondary indexes. Kept deliberately few: every access-control read goes to the base table
 * (strongly consistent); GSIs only serve listing patterns where eventual consistency is acceptable.
 */
export const GSI = {
  byGroupName: {
    indexName: 'gsi2',
    partitionKey: 'gsi2pk',
    sortKey: 'gsi2sk',
    // What the search decides readability from without reading the group items (bounded by the group's 100 contacts).
    projection: { type: 'INCLUDE', attributes: ['groupId', 'assignees', 'assigneeAncestors', 'activeContactIds'] },
    serves: 'contact groups by case-insensitive name prefix (search), spread over 16 partitions',
  },
} as const satisfies Record<string, IndexDefinition>;

/**
 * Indexes of the previous release, kept until `npm run migrate` has moved every item off them: DynamoDB (and so
 * CloudFormation) adds or removes one GSI per table update, so the next release removes these in its own deploy.
 * Nothing writes their keys any more.
 */
export const RETIRED_GSI = {
  byGroupNameV1: {
    indexName: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    projection: { type: 'ALL' },
    serves: 'retired: the name index of release 0.1.0 (one partition per first letter, whole items projected)',
  },
} as const satisfies Record<string, IndexDefinition>;

export const TABLE_DEFINITION = {
  ...TABLE_KEYS,
  indexes: [...Object.values(RETIRED_GSI), ...Object.values(GSI)] as IndexDefinition[],
  /** Streams carry both images so the publisher can diff old and new state. */
  streamViewType: 'NEW_AND_OLD_IMAGES',
  billingMode: 'PAY_PER_REQUEST',
  /** Powertools idempotency records (and nothing else) expire through this attribute. */
  timeToLiveAttribute: 'expiration',
} as const;

/** CreateTable input for DynamoDB Local and the tests (CDK builds the same shape in infra/). */
export function createTableInput(tableName: string) {
  const attributeNames = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
  for (const index of TABLE_DEFINITION.indexes) {
    attributeNames.add(index.partitionKey);
    attributeNames.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: TABLE_DEFINITION.billingMode,
    AttributeDefinitions: [...attributeNames].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE_DEFINITION.indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection:
        index.projection.type === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection.attributes] }
          : { ProjectionType: index.projection.type },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DEFINITION.streamViewType },
  };
}
