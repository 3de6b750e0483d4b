// What tests are given (contacts, groups), how they assert error bodies, and how they measure a request's cost:
// written once, so a test reads as Prepare / Act / Assess.
import { expect } from 'vitest';
import type { Db } from '../../lib/store/client.js';
import type { RequestLog } from '../../lib/store/request-log.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { changeAssignments } from '../../lib/use-cases/assignments.js';
import { createGroup } from '../../lib/use-cases/groups.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import type { Caller } from '../../lib/domain/caller.js';
import { t } from '../../lib/i18n/messages.js';
import type { ApiResponse } from './server.js';
import { ev, uidOf } from './events.js';

export const FIXTURE_TIME = '2026-01-01T00:00:00.000Z';
export const ADMIN: Caller = { type: 'application', subject: 'fixture-admin', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };

/** A contact ingested as upstream sends it (ContactUpserted), optionally assigned to members; its id and uid. */
export async function givenContact(
  db: Db,
  n: number,
  options: { firstName?: string; lastName?: string; participantUids?: string[]; assigned?: number[] } = {},
): Promise<{ id: number; uid: string }> {
  const uid = uidOf(n);
  const result = await ingestEvent(
    db,
    ev.contactUpserted({ contactUid: uid, firstName: options.firstName ?? `C${n}`, lastName: options.lastName ?? 'Test', participantUids: options.participantUids ?? [], version: 1 }),
    'fixture',
  );
  const id = result.contactId!;
  if (options.assigned?.length) await changeAssignments(db, id, () => options.assigned!, FIXTURE_TIME);
  return { id, uid };
}

/** A group made through the library as the API would make it (the first contact owns the creation); its id. */
export async function givenGroup(db: Db, contacts: readonly { contactId: number; systemStatus?: string; relationshipType?: string }[], groupName = 'Fixture household'): Promise<number> {
  const guard = new AccessGuard(db, { dataSegregation: false }, ADMIN);
  return createGroup(db, guard, { contactId: contacts[0]!.contactId, group: { groupName, contacts: [...contacts] }, now: FIXTURE_TIME });
}

/**
 * A DFS error body with its code and subCode, localized: sent in English and in German, both messages come from the
 * catalogues and differ. Returns the English response.
 */
export async function expectDfsError(
  send: (headers: Record<string, string>) => Promise<ApiResponse>,
  status: number,
  code: string,
  subCode: string,
): Promise<ApiResponse> {
  const en = await send({ 'accept-language': 'en' });
  expect(en.status, JSON.stringify(en.body)).toBe(status);
  expect(en.body).toMatchObject({ code, subCode, correlationId: expect.any(String), properties: expect.any(Object) });
  expect(en.body.message).toBe(t('en', subCode, en.body.properties));
  const de = await send({ 'accept-language': 'de' });
  expect(de.status).toBe(status);
  expect(de.headers.get('content-language')).toBe('de');
  expect(de.body.message).toBe(t('de', subCode, de.body.properties));
  expect(de.body.message).not.toBe(en.body.message);
  return en;
}

export interface Cost {
  rounds: number;
  requests: number;
  /** e.g. `GetItemCommand×1 BatchGetItemCommand×2` */
  commands: string;
}

/** Runs one request with a fresh request log: its DynamoDB round trips and requests. */
export async function measure<R>(log: RequestLog, run: () => Promise<R>): Promise<{ result: R; cost: Cost }> {
  log.reset();
  const result = await run();
  const counts = new Map<string, number>();
  for (const c of log.commands) counts.set(c, (counts.get(c) ?? 0) + 1);
  return { result, cost: { rounds: log.rounds(), requests: log.commands.length, commands: [...counts].map(([c, n]) => `${c}×${n}`).join(' ') } };
}
