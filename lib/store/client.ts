// The store's DynamoDB client: the document operations the store uses (plain JavaScript values in and out, as the
// SDK's DocumentClient), over a transport. Functions create one at module scope (reused across invocations).
//
// `createDb` sends over DynamoDB's JSON protocol with Node's http(s) module (lib/aws/dynamodb-https.ts): no AWS SDK in
// a function's module graph (the SDK was about two thirds of their cold start). `createSdkDb` (sdk-client.ts) sends the
// same operations through the AWS SDK, for the unit tests that mock it and the bench's comparison. Middlewares (`use`)
// see every operation with its document input and output: the request log of the tests and the benchmarks' meter.
import { randomUUID } from 'node:crypto';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { DynamoDbHttps } from '../aws/dynamodb-https.js';
import { SDK_TIMEOUTS, type SdkTimeouts } from '../aws/deadline.js';

/** The operations the store sends, named as the SDK's low-level commands (the request log counts them by name). */
export interface Operations {
  GetItemCommand: [GetCommandInput, GetCommandOutput];
  BatchGetItemCommand: [BatchGetCommandInput, BatchGetCommandOutput];
  QueryCommand: [QueryCommandInput, QueryCommandOutput];
  ScanCommand: [ScanCommandInput, ScanCommandOutput];
  PutItemCommand: [PutCommandInput, PutCommandOutput];
  UpdateItemCommand: [UpdateCommandInput, UpdateCommandOutput];
  DeleteItemCommand: [DeleteCommandInput, DeleteCommandOutput];
  TransactWriteItemsCommand: [TransactWriteCommandInput, TransactWriteCommandOutput];
  BatchWriteItemCommand: [BatchWriteCommandInput, BatchWriteCommandOutput];
}
export type Operation = keyof Operations;
export type Input<O extends Operation = Operation> = Operations[O][0];
export type Output<O extends Operation = Operation> = Operations[O][1];

/** One operation on its way: a middleware may read or change its input, and sees its output or error. */
export interface Request<O extends Operation = Operation> {
  readonly operation: O;
  readonly input: Input<O>;
}
export type Middleware = (request: Request, next: (request: Request) => Promise<Output>) => Promise<Output>;

/** What carries document operations to DynamoDB (and marshals them on the way). */
export interface Transport {
  send(request: Request): Promise<Output>;
  destroy(): void;
}

export class DocumentClient {
  private readonly middlewares: Middleware[] = [];

  constructor(
    private readonly transport: Transport,
    middlewares: readonly Middleware[] = [],
  ) {
    this.middlewares.push(...middlewares);
  }

  /** Adds a middleware (outermost last: it sees what earlier ones pass on). */
  use(middleware: Middleware): void {
    this.middlewares.push(middleware);
  }

  /** A client on the same transport with one more middleware (the tests' fault injection); this one is unchanged. */
  with(middleware: Middleware): DocumentClient {
    return new DocumentClient(this.transport, [...this.middlewares, middleware]);
  }

  send<O extends Operation>(operation: O, input: Input<O>): Promise<Output<O>> {
    const chain = this.middlewares.reduce<(request: Request) => Promise<Output>>(
      (next, middleware) => (request) => middleware(request, next),
      (request) => this.transport.send(request),
    );
    return chain({ operation, input } as Request) as Promise<Output<O>>;
  }

  get = (input: GetCommandInput) => this.send('GetItemCommand', input);
  batchGet = (input: BatchGetCommandInput) => this.send('BatchGetItemCommand', input);
  query = (input: QueryCommandInput) => this.send('QueryCommand', input);
  scan = (input: ScanCommandInput) => this.send('ScanCommand', input);
  put = (input: PutCommandInput) => this.send('PutItemCommand', input);
  update = (input: UpdateCommandInput) => this.send('UpdateItemCommand', input);
  delete = (input: DeleteCommandInput) => this.send('DeleteItemCommand', input);
  transactWrite = (input: TransactWriteCommandInput) => this.send('TransactWriteItemsCommand', input);
  batchWrite = (input: BatchWriteCommandInput) => this.send('BatchWriteItemCommand', input);

  destroy(): void {
    this.transport.destroy();
  }
}

/** Where a Db's table is and how long its requests may take (an SDK client for the same table is built from it). */
export interface Connection {
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  readonly timeouts: SdkTimeouts;
}

export interface Db {
  readonly doc: DocumentClient;
  readonly tableName: string;
  readonly connection: Connection;
}

export interface DbOptions {
  tableName: string;
  endpoint?: string | undefined;
  region?: string;
  timeouts?: SdkTimeouts;
}

/** The connection of a Db: DynamoDB Local's endpoint, region and patience, or DynamoDB's from the environment. */
export function connectionOf(options: DbOptions): Connection {
  const local = options.endpoint !== undefined;
  return {
    endpoint: options.endpoint,
    region: options.region ?? (local ? 'eu-central-1' : undefined),
    timeouts: options.timeouts ?? (local ? SDK_TIMEOUTS.local : SDK_TIMEOUTS.aws),
  };
}

/** DynamoDB Local's credentials (any pair is accepted). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The service's client: document operations over DynamoDB's JSON protocol, without the AWS SDK. */
export function createDb(options: DbOptions): Db {
  const connection = connectionOf(options);
  const client = new DynamoDbHttps({
    endpoint: connection.endpoint,
    region: connection.region,
    timeouts: connection.timeouts,
    ...(connection.endpoint !== undefined && { credentials: LOCAL_CREDENTIALS }),
  });
  return { doc: new DocumentClient(jsonTransport(client)), tableName: options.tableName, connection };
}

// Marshalling as the SDK's DocumentClient is set up here: undefined attributes dropped, empty strings kept, numbers
// read back as JavaScript numbers.
type Values = Record<string, unknown>;
const mapValues = <T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
type Wire = Record<string, unknown>;
// Binary values travel as base64 in the JSON protocol (the SDK's serializer does the same). Copy on write: a value
// without binary inside is returned as it is (most items hold none; their maps and lists are not copied).
type AttributeValue = { B?: unknown; BS?: unknown[]; M?: Record<string, AttributeValue>; L?: AttributeValue[] };
function convertBinary(value: AttributeValue, convert: (bytes: unknown) => unknown): AttributeValue {
  if (value.B !== undefined) return { B: convert(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(convert) };
  if (value.M !== undefined) {
    const map = convertEach(value.M, convert);
    return map === value.M ? value : { M: map };
  }
  if (value.L !== undefined) {
    const list = value.L.map((v) => convertBinary(v, convert));
    return list.every((v, i) => v === value.L![i]) ? value : { L: list };
  }
  return value;
}
/** The attributes of a map with their binary values converted; the same object when there were none. */
function convertEach(attributes: Record<string, AttributeValue>, convert: (bytes: unknown) => unknown): Record<string, AttributeValue> {
  let out: Record<string, AttributeValue> | undefined;
  for (const name in attributes) {
    const value = attributes[name]!;
    const converted = convertBinary(value, convert);
    if (converted !== value) (out ??= { ...attributes })[name] = converted;
  }
  return out ?? attributes;
}
const toBase64 = (bytes: unknown) => Buffer.from(bytes as Uint8Array).toString('base64');
const fromBase64 = (text: unknown) => {
  const buffer = Buffer.from(text as string, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
};
const toWire = (values: unknown) =>
  convertEach(marshall(values as Values, { removeUndefinedValues: true, convertEmptyValues: false }) as Record<string, AttributeValue>, toBase64) as Wire;
const fromWire = (wire: unknown) => unmarshall(convertEach(wire as Record<string, AttributeValue>, fromBase64) as never, { wrapNumbers: false });

/** The attributes of a request that carry values: each is marshalled where present. */
function withWireValues<T extends Values>(input: T, fields: readonly string[]): Values {
  const out: Values = { ...input };
  for (const field of fields) if (out[field] !== undefined) out[field] = toWire(out[field]);
  return out;
}
const VALUE_FIELDS = ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const;

function outputFromWire(output: Values): Values {
  const out: Values = { ...output };
  for (const field of ['Item', 'Attributes', 'LastEvaluatedKey']) if (out[field] !== undefined) out[field] = fromWire(out[field]);
  if (Array.isArray(out.Items)) out.Items = out.Items.map(fromWire);
  return out;
}

/** Document operations in DynamoDB's JSON protocol. */
export function jsonTransport(client: DynamoDbHttps): Transport {
  const call = (operation: Operation, wire: Values) => client.call<Values>(operation.replace(/Command$/, ''), wire);
  return {
    async send({ operation, input }) {
      const values = input as Values;
      switch (operation) {
        case 'BatchGetItemCommand': {
          const requestItems = mapValues(values.RequestItems as Record<string, Values & { Keys: unknown[] }>, (r) => ({ ...r, Keys: r.Keys.map(toWire) }));
          const out = await call(operation, { ...values, RequestItems: requestItems });
          return {
            ...out,
            Responses: mapValues((out.Responses ?? {}) as Record<string, unknown[]>, (items) => items.map(fromWire)),
            UnprocessedKeys: mapValues((out.UnprocessedKeys ?? {}) as Record<string, Values & { Keys: unknown[] }>, (r) => ({ ...r, Keys: r.Keys.map(fromWire) })),
          } as Output;
        }
        case 'BatchWriteItemCommand': {
          type Row = { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } };
          const rows = (convert: (v: unknown) => unknown) => (list: Row[]) =>
            list.map((row) => (row.PutRequest ? { PutRequest: { Item: convert(row.PutRequest.Item) } } : { DeleteRequest: { Key: convert(row.DeleteRequest?.Key) } }));
          const out = await call(operation, { ...values, RequestItems: mapValues(values.RequestItems as Record<string, Row[]>, rows(toWire)) });
          return { ...out, UnprocessedItems: mapValues((out.UnprocessedItems ?? {}) as Record<string, Row[]>, rows(fromWire)) } as Output;
        }
        case 'TransactWriteItemsCommand': {
          const items = (values.TransactItems as Record<string, Values>[]).map((item) => mapValues(item, (action) => withWireValues(action, VALUE_FIELDS)));
          try {
            // The SDK's idempotency token: a retried attempt (a timeout) is applied once.
            return (await call(operation, { ClientRequestToken: randomUUID(), ...values, TransactItems: items })) as Output;
          } catch (error) {
            const reasons = (error as { CancellationReasons?: { Item?: unknown }[] }).CancellationReasons;
            for (const reason of reasons ?? []) if (reason.Item) reason.Item = fromWire(reason.Item);
            throw error;
          }
        }
        default:
          try {
            return outputFromWire(await call(operation, withWireValues(values, VALUE_FIELDS))) as Output;
          } catch (error) {
            const failed = error as { Item?: unknown };
            if (failed.Item) failed.Item = fromWire(failed.Item);
            throw error;
          }
      }
    },
    destroy: () => client.destroy(),
  };
}
