// The local gateway (real JWTs) on a bench table, serving the service's functions or a stand-in for every route: the
// set-up `npm run bench` and `npm run bench:profile` share.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { LocalTable } from './local-table.js';

export async function benchGateways({ endpoint, tableName }: LocalTable) {
  const { createGateway } = await import('../../infra/local/gateway.js');
  const { localHandlers } = await import('../../infra/local/handlers.js');
  const { createVerifier, mintToken } = await import('../../infra/local/jwt.js');
  const { loadSettings } = await import('../../lib/config.js');
  const { createDb } = await import('../../lib/store/client.js');
  const { ENDPOINTS_BY_FUNCTION } = await import('../../lib/api/contracts/index.js');

  const db = createDb({ tableName, endpoint });
  const handlers = localHandlers({ settings: { ...loadSettings({}), tableName, dynamodbEndpoint: endpoint }, db });
  const keys = mkdtempSync(join(tmpdir(), 'crs-bench-'));
  const verify = await createVerifier(keys);
  const servers: Server[] = [];
  const listen = async (http: typeof handlers.http) => {
    const server = createGateway({ handlers: http, ingest: handlers.ingest, verify, defaultLanguage: 'en' });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  return {
    /** The service's client on the table (its request log counts what the service's functions send). */
    db,
    /** A new client on the same table, as another function would have its own. */
    newDb: () => createDb({ tableName, endpoint }),
    /** The base URL of a gateway serving the service's functions. */
    service: () => listen(handlers.http),
    /** The base URL of a gateway serving `handler` on every route of the API (same routes, tokens and checks). */
    everyRoute: (handler: unknown) => listen(Object.fromEntries(Object.keys(ENDPOINTS_BY_FUNCTION).map((fn) => [fn, handler])) as unknown as typeof handlers.http),
    token: (claims: Parameters<typeof mintToken>[0]) => mintToken(claims, { dataDir: keys }),
    close() {
      for (const server of servers) server.close();
      db.doc.destroy();
    },
  };
}
