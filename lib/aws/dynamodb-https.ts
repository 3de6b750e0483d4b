// DynamoDB's JSON protocol over Node's own http(s) module, signed with SigV4 by `aws4`: what the service's functions use
// instead of the AWS SDK client, whose module graph was about two thirds of their cold start (BENCHMARKS.md).
//
// It does what the SDK did for the service, and nothing else: one keep-alive agent per client (50 sockets, as the SDK),
// credentials from the environment (Lambda's), the connection and per-attempt timeouts of deadline.ts, at most
// `maxAttempts` attempts for what unavailable.ts calls "retry later", with the SDK's standard backoff (full jitter;
// throttling from a 500 ms base, other failures from 100 ms), a deadline check before every attempt, and errors shaped
// as the SDK throws them (`name` from DynamoDB's `__type`, `$metadata.httpStatusCode`, `CancellationReasons`), so
// unavailable.ts and the store read both.
// Values stay in DynamoDB's wire format here; the store's document client marshals them.
import * as http from 'node:http';
import * as https from 'node:https';
import aws4 from 'aws4';
import { assertTimeForAttempt, type SdkTimeouts } from './deadline.js';
import { unavailabilityOf } from './unavailable.js';

export interface DynamoDbHttpsOptions {
  /**
   * `http://localhost:8000` for DynamoDB Local. When absent: the SDK's environment settings (AWS_ENDPOINT_URL_DYNAMODB,
   * then AWS_ENDPOINT_URL), else DynamoDB's regional endpoint.
   */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  /** Fixed credentials (DynamoDB Local); otherwise read from the environment at each request, as Lambda sets them. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  readonly timeouts: SdkTimeouts;
  /** Sockets per client (the SDK's default is 50). */
  readonly maxSockets?: number;
}

/** An error as DynamoDB (or the network) gave it, in the shape the SDK throws. */
export interface DynamoDbError extends Error {
  $metadata: { httpStatusCode?: number; requestId?: string; attempts: number };
  $fault?: 'client' | 'server';
  code?: string;
  CancellationReasons?: { Code?: string; Message?: string; Item?: Record<string, unknown> }[];
  /** The item as it was, when a failed condition asked for it (ReturnValuesOnConditionCheckFailure). */
  Item?: Record<string, unknown>;
}

/** Pause bases of the SDK's standard retry mode: throttling, and any other failure another attempt may cure. */
const THROTTLING_BASE_MS = 500;
const TRANSIENT_BASE_MS = 100;
/** The SDK's cap on one pause (operator tools make up to 8 attempts). */
const MAX_PAUSE_MS = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Another attempt is made exactly for the failures the service answers 503 for (unavailable.ts: throttling, a
 * transaction cancelled for capacity, 5xx, timeouts, dropped or refused connections): none of them applied anything,
 * or, for a timeout, a transaction applies once (its request token). Anything else is the request's own fault.
 */
function retryBase(error: DynamoDbError): number | undefined {
  const reason = unavailabilityOf(error);
  if (reason === undefined) return undefined;
  return reason === 'throttled' ? THROTTLING_BASE_MS : TRANSIENT_BASE_MS;
}

function failure(name: string, message: string, extra: Partial<DynamoDbError> = {}): DynamoDbError {
  return Object.assign(new Error(message), { name, $metadata: { attempts: 1 } }, extra) as DynamoDbError;
}

/** The error of a non-200 answer: `{"__type":"com.amazonaws.dynamodb.v20120810#Name","message":"…"}`. */
function answerError(status: number, body: string, requestId: string | undefined): DynamoDbError {
  let parsed: { __type?: string; message?: string; Message?: string; CancellationReasons?: DynamoDbError['CancellationReasons']; Item?: DynamoDbError['Item'] } = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // Not JSON (a proxy's page): the status decides.
  }
  const type = parsed.__type?.split('#').pop();
  const name = type || (status >= 500 ? 'InternalServerError' : 'UnknownError');
  return failure(name, parsed.message ?? parsed.Message ?? `DynamoDB answered ${status}`, {
    $metadata: { httpStatusCode: status, ...(requestId && { requestId }), attempts: 1 },
    $fault: status >= 500 ? 'server' : 'client',
    ...(parsed.CancellationReasons && { CancellationReasons: parsed.CancellationReasons }),
    ...(parsed.Item && { Item: parsed.Item }),
  });
}

export class DynamoDbHttps {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly region: string;

  constructor(private readonly options: DynamoDbHttpsOptions) {
    this.region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'eu-central-1';
    const env = process.env;
    this.url = new URL(options.endpoint ?? (env.AWS_ENDPOINT_URL_DYNAMODB || env.AWS_ENDPOINT_URL || `https://dynamodb.${this.region}.amazonaws.com`));
    const Agent = this.url.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 50 });
  }

  /** One DynamoDB action (`GetItem`, `TransactWriteItems`…), retried as the SDK would; resolves with the JSON answer. */
  async call<T = Record<string, unknown>>(action: string, input: object): Promise<T> {
    const body = JSON.stringify(input);
    const { maxAttempts } = this.options.timeouts;
    for (let attempt = 1; ; attempt++) {
      assertTimeForAttempt(this.options.timeouts);
      try {
        return (await this.attempt(action, body)) as T;
      } catch (caught) {
        const error = caught as DynamoDbError;
        error.$metadata = { ...error.$metadata, attempts: attempt };
        const base = retryBase(error);
        if (base === undefined || attempt >= maxAttempts) throw error;
        await sleep(Math.random() * Math.min(MAX_PAUSE_MS, base * 2 ** attempt));
      }
    }
  }

  /** Closes idle connections (operator tools and tests, so the process can end). */
  destroy(): void {
    this.agent.destroy();
  }

  /** Lambda's role credentials are in its environment; without them no request leaves (an error, not retried). */
  private credentials() {
    if (this.options.credentials) return this.options.credentials;
    const env = process.env;
    if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
      throw failure('CredentialsProviderError', 'no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
    }
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }) };
  }

  private attempt(action: string, body: string): Promise<unknown> {
    const { connectionTimeoutMs, requestTimeoutMs } = this.options.timeouts;
    const url = this.url;
    const trace = process.env._X_AMZN_TRACE_ID;
    const signed = aws4.sign(
      {
        host: url.host,
        path: url.pathname || '/',
        method: 'POST',
        service: 'dynamodb',
        region: this.region,
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `DynamoDB_20120810.${action}`,
          ...(trace && { 'X-Amzn-Trace-Id': trace }),
        },
        body,
      },
      this.credentials(),
    );
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolveOnce, rejectOnce) => {
      // Settled once: a timer that fires while an answer is arriving destroys the request, and both may report it.
      let settled = false;
      const resolve = (value: unknown) => {
        if (!settled) (settled = true), resolveOnce(value);
      };
      const reject = (error: unknown) => {
        if (!settled) (settled = true), rejectOnce(error);
      };
      const request = transport.request({
        hostname: url.hostname,
        port: url.port || undefined,
        path: signed.path,
        method: 'POST',
        headers: signed.headers as http.OutgoingHttpHeaders,
        agent: this.agent,
      });
      let connectTimer: NodeJS.Timeout | undefined;
      let answerTimer: NodeJS.Timeout | undefined;
      const clear = () => {
        clearTimeout(connectTimer);
        clearTimeout(answerTimer);
      };
      // The timers start when the request has a socket: a request waiting for one of the agent's sockets is not stuck.
      request.once('socket', (socket) => {
        if (requestTimeoutMs > 0) {
          answerTimer = setTimeout(() => request.destroy(failure('TimeoutError', `no answer from DynamoDB within ${requestTimeoutMs} ms`)), requestTimeoutMs);
        }
        if (socket.connecting && connectionTimeoutMs > 0) {
          connectTimer = setTimeout(() => request.destroy(failure('TimeoutError', `no connection to DynamoDB within ${connectionTimeoutMs} ms`)), connectionTimeoutMs);
          socket.once('connect', () => clearTimeout(connectTimer));
        }
      });
      // `on`, not `once`: a socket may report a second error after the first settled the attempt.
      request.on('error', (error: Error & { code?: string }) => {
        clear();
        const shaped = error as DynamoDbError;
        shaped.$metadata = { attempts: 1 };
        reject(shaped);
      });
      request.once('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => {
          clear();
          reject(Object.assign(error, { $metadata: { attempts: 1 } }));
        });
        response.once('end', () => {
          clear();
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          const requestId = response.headers['x-amzn-requestid'] as string | undefined;
          if (status !== 200) return reject(answerError(status, text, requestId));
          try {
            resolve(text.length === 0 ? {} : JSON.parse(text));
          } catch {
            reject(answerError(502, text, requestId));
          }
        });
      });
      request.end(body);
    });
  }
}
