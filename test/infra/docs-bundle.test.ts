// The docs function as CDK deploys it: bundled by esbuild exactly as `cdk deploy` does (offline), with Redoc's script
// copied beside the bundle; the bundled handler, run from the asset folder, serves the document, the page and the script.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIGS } from '../../infra/config.js';
import { ServiceFunction } from '../../infra/constructs/service-function.js';
import { FUNCTION_ASSETS } from '../../infra/stacks/api-stack.js';
import { REDOC_REMOTE_LOGO, REDOC_SCRIPT } from '../../lib/api/docs-page.js';
import { buildOpenApiDocument } from '../../lib/api/openapi.js';

process.env.CDK_VALIDATION = 'false';

let assetDir = '';

beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, 'DocsBundle');
  new ServiceFunction(stack, 'Docs', {
    name: 'docs',
    description: 'docs',
    config: CONFIGS.dev,
    alarmAction: new SnsAction(new sns.Topic(stack, 'Alarms')),
    assets: FUNCTION_ASSETS.docs!,
  });
  const out = app.synth().directory;
  const dirs = readdirSync(out).filter((d) => d.startsWith('asset.') && statSync(join(out, d)).isDirectory());
  expect(dirs).toHaveLength(1);
  assetDir = join(out, dirs[0]!);
}, 120_000);

const event = (path: string, headers: Record<string, string> = {}) => ({
  version: '2.0',
  routeKey: `GET ${path}`,
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'abc123.execute-api.eu-central-2.amazonaws.com', 'x-forwarded-proto': 'https', ...headers },
  requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, domainName: 'abc123.execute-api.eu-central-2.amazonaws.com', requestId: 'r', routeKey: `GET ${path}`, stage: '$default', time: '', timeEpoch: 0, accountId: '1', apiId: 'abc123', domainPrefix: 'abc123' },
  isBase64Encoded: false,
});
const context = { awsRequestId: 'req-1', functionName: 'docs', functionVersion: '$LATEST', invokedFunctionArn: 'arn', memoryLimitInMB: '512', logGroupName: 'g', logStreamName: 's', getRemainingTimeInMillis: () => 10_000 };

describe('docs function bundle', () => {
  it('holds the bundle and Redoc\'s script, and no renderer code inside the bundle', () => {
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map', REDOC_SCRIPT].sort());
    const script = readFileSync(join(assetDir, REDOC_SCRIPT));
    expect(script.equals(readFileSync(FUNCTION_ASSETS.docs![0]!))).toBe(true);
    const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(bundle.length).toBeLessThan(600_000);
    expect(bundle).not.toContain('styled-components');
  });

  it('serves the document, the page and the script from the asset folder', async () => {
    process.env.LOG_LEVEL = 'SILENT';
    const { handler } = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as { handler: (e: unknown, c: unknown) => Promise<any> };
    const doc = await handler(event('/openapi.json'), context);
    expect(doc.statusCode).toBe(200);
    expect(JSON.parse(doc.body).servers).toEqual([{ url: 'https://abc123.execute-api.eu-central-2.amazonaws.com', description: 'This service' }]);
    // The bundle serves the generated file (lib/api/openapi.generated.json): the very bytes the contracts build.
    expect(doc.body).toBe(JSON.stringify({ ...buildOpenApiDocument(), servers: [{ url: 'https://abc123.execute-api.eu-central-2.amazonaws.com', description: 'This service' }] }));
    const page = await handler(event('/docs'), context);
    expect(page.body).toContain(`<script src="/docs/${REDOC_SCRIPT}"></script>`);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    const script = await handler(event(`/docs/${REDOC_SCRIPT}`, { 'accept-encoding': 'gzip, br' }), context);
    expect(script).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: expect.objectContaining({ 'content-encoding': 'gzip' }) });
    const served = gunzipSync(Buffer.from(script.body, 'base64')).toString('utf8');
    // The package's script, with its one remote URL (the footer logo) emptied.
    expect(served).toBe(readFileSync(join(assetDir, REDOC_SCRIPT), 'utf8').replace(REDOC_REMOTE_LOGO, 'data:,'));
    expect(served).not.toContain('https://cdn.');
  });
});
