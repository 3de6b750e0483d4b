// Stateful: the single table, built from the one table definition the local runtime and the tests also use.
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../lib/store/table.js';
import type { ServiceConfig } from '../config.js';

export interface DataStackProps extends StackProps {
  readonly config: ServiceConfig;
}

/** Every key attribute of the table and its indexes is a string (as in createTableInput). */
const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export class DataStack extends Stack {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    // No tableName: CloudFormation names it, the functions learn it from TABLE_NAME (bindTable).
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: stringKey(TABLE_DEFINITION.partitionKey),
      sortKey: stringKey(TABLE_DEFINITION.sortKey),
      billingMode: dynamodb.BillingMode[TABLE_DEFINITION.billingMode],
      stream: dynamodb.StreamViewType[TABLE_DEFINITION.streamViewType],
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.deletionProtection,
      removalPolicy: config.removalPolicy,
    });
    for (const index of TABLE_DEFINITION.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: dynamodb.ProjectionType[index.projection.type],
        ...(index.projection.type === 'INCLUDE' && { nonKeyAttributes: [...index.projection.attributes] }),
      });
    }
  }
}
