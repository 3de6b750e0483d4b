// Two floors for the cold-start table (bundles only, never deployed), each a handler that answers without DynamoDB:
// - `empty`: nothing but the handler: what importing any ESM bundle costs Node (its module loader) over `node -e 0`;
// - `network`: the Node modules any function that calls DynamoDB loads (https with tls, http, net, crypto for SigV4):
//   the floor under the baseline, whatever client it uses.
import * as https from 'node:https';
import { createHash } from 'node:crypto';

export const empty = async () => ({ statusCode: 200, body: '' });

/** Touches the modules so that the bundler keeps them. */
export const network = async () => ({ statusCode: 200, body: `${typeof https.request} ${createHash('sha256').update('').digest('hex').length}` });
