// `npm run -s token -- --member 7 | --application <participantUid> | --contact 12 | --admin [--scope "…"] [--participant <uid>] [--identity <uuid>]`
// Prints a token the local server accepts, and nothing else.
import './env.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DATA_DIR } from './dynamodb-local.js';
import { mintToken, type TokenClaims } from './jwt.js';
import { demoContactUidOf, demoIdentityOf } from './demo-data.js';

const usage = `usage: npm run -s token -- (--member <id> | --application [participantUid] | --contact <id> | --admin)
       [--scope "crs.read crs.write"] [--participant <uuid>] [--identity <uuid>] [--expires 12h]`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

/** The stored member or contact, when the local server's table is reachable (identity id, participant, uid). */
async function lookup(kind: 'member' | 'contact', id: number): Promise<Record<string, unknown> | undefined> {
  const file = join(DATA_DIR, 'local.json');
  if (!existsSync(file)) return undefined;
  try {
    const { endpoint, tableName } = JSON.parse(readFileSync(file, 'utf8')) as { endpoint: string; tableName: string };
    const { createDb } = await import('../../lib/store/client.js');
    const { getItem } = await import('../../lib/store/reads.js');
    const { keys } = await import('../../lib/store/keys.js');
    const { SDK_TIMEOUTS } = await import('../../lib/aws/deadline.js');
    const db = createDb({ tableName, endpoint, timeouts: { ...SDK_TIMEOUTS.local, maxAttempts: 1 } });
    const key = kind === 'member' ? keys.member(id) : keys.contactProfile(id);
    const item = await Promise.race([getItem(db, key), new Promise<undefined>((r) => setTimeout(() => r(undefined), 1500))]);
    db.doc.destroy();
    return item as Record<string, unknown> | undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      member: { type: 'string' },
      application: { type: 'string' },
      contact: { type: 'string' },
      admin: { type: 'boolean' },
      scope: { type: 'string' },
      participant: { type: 'string' },
      identity: { type: 'string' },
      expires: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const chosen = [values.member !== undefined, values.application !== undefined, values.contact !== undefined].filter(Boolean).length;
  if (chosen > 1) fail('choose one of --member, --application, --contact');
  if (chosen === 0 && !values.admin) fail('choose a caller');
  const scopes = new Set((values.scope ?? 'crs.read crs.write').split(/\s+/).filter(Boolean));
  if (values.admin) scopes.add('crs.admin');
  const scope = [...scopes].join(' ');

  let claims: TokenClaims;
  if (values.member !== undefined) {
    const memberId = Number(values.member);
    if (!Number.isInteger(memberId) || memberId < 1) fail('--member needs a positive member id');
    const stored = values.identity && values.participant ? undefined : await lookup('member', memberId);
    const identity = values.identity ?? (stored?.identityId as string | undefined) ?? demoIdentityOf(memberId);
    const participant = values.participant ?? (stored?.participantUid as string | undefined);
    claims = { sub: identity, caller_type: 'member', member_id: memberId, scope, ...(participant && { participant_uid: participant }) };
  } else if (values.contact !== undefined) {
    const contactId = Number(values.contact);
    if (!Number.isInteger(contactId) || contactId < 1) fail('--contact needs a positive contact id');
    const stored = values.identity ? undefined : await lookup('contact', contactId);
    const identity = values.identity ?? (stored?.contactUid as string | undefined) ?? demoContactUidOf(contactId);
    claims = { sub: identity, caller_type: 'contact', contact_id: contactId, scope };
  } else {
    const participant = values.participant ?? (values.application || undefined);
    claims = { sub: values.admin && !values.application ? 'local-admin' : 'local-app', caller_type: 'application', scope, ...(participant && { participant_uid: participant }) };
  }
  process.stdout.write(`${await mintToken(claims, { ...(values.expires && { expiresIn: values.expires }) })}\n`);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
