// Group access decisions (who may ask, what answers) and the direct-invocation adapter under SDK faults.
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { askRule, canReadGroup, hasGroupAccess, subjectOfParticipant, type SubjectFacts } from '../../lib/domain/group-access.js';
import type { Caller } from '../../lib/domain/caller.js';
import { createSdkDb } from '../../lib/store/sdk-client.js';
import { loadSettings } from '../../lib/config.js';
import { createHandler } from '../../functions/contact-group-access/handler.js';

const P1 = '40000000-0000-4000-8000-000000000001';
const ME = '00000000-0000-4000-8000-000000000007';
const read = new Set(['crs.read']);
const app: Caller = { type: 'application', subject: 'app', participantUid: P1, scopes: read };
const admin: Caller = { type: 'member', subject: ME, memberId: 7, scopes: new Set(['crs.read', 'crs.admin']) };
const member: Caller = { type: 'member', subject: ME, memberId: 7, scopes: read };
const contact: Caller = { type: 'contact', subject: 'c', contactId: 12, scopes: read };
const plain = { dataSegregation: false };
const segregated = { dataSegregation: true };

describe('askRule (SPEC 3)', () => {
  it('applications: anyone, or with segregation subjects of their participant; admins: anyone', () => {
    expect(askRule(app, { contactId: 1 }, plain)).toBe('allowed');
    expect(askRule(app, { identityId: ME }, segregated)).toBe('ownParticipant');
    expect(askRule(admin, { contactId: 1 }, segregated)).toBe('allowed');
  });

  it('a member only about its own identity, a contact only about itself', () => {
    expect(askRule(member, { identityId: ME.toUpperCase() }, segregated)).toBe('allowed');
    expect(askRule(member, { identityId: '00000000-0000-4000-8000-000000000008' }, plain)).toBe('denied');
    expect(askRule(member, { contactId: 7 }, plain)).toBe('denied');
    expect(askRule(contact, { contactId: 12 }, segregated)).toBe('allowed');
    expect(askRule(contact, { contactId: 13 }, plain)).toBe('denied');
    expect(askRule(contact, { identityId: ME }, plain)).toBe('denied');
  });
});

describe('hasGroupAccess (SPEC 5.2)', () => {
  const identity = (isActive: boolean): SubjectFacts => ({ kind: 'identity', memberId: 7, isActive, participantUid: P1 });
  /** Member 9 (counted on the group) hangs below 7, or below 8 in another branch. */
  const below7 = new Map([[9, [7, 1]]]);
  const below8 = new Map([[9, [8, 1]]]);
  const group = {
    groupId: 5,
    contacts: [
      { contactId: 1, systemStatus: 'Active' as const },
      { contactId: 2, systemStatus: 'Archived' as const },
    ],
    assignees: { '9': 1, '7': 0 },
  };

  it('a contact: only as an Active member', () => {
    const c = (contactId: number): SubjectFacts => ({ kind: 'contact', contactId, participantUids: new Set() });
    expect(hasGroupAccess(c(1), group)).toBe(true);
    expect(hasGroupAccess(c(2), group)).toBe(false);
    expect(hasGroupAccess(c(3), group)).toBe(false);
    expect(hasGroupAccess(c(1), undefined)).toBe(false);
  });

  it('a member: itself or a member below it counted on an active contact; inactive members never', () => {
    expect(hasGroupAccess(identity(true), group)).toBe(false); // its own count is 0, no ancestor lists read
    expect(hasGroupAccess(identity(true), group, below8)).toBe(false);
    expect(hasGroupAccess(identity(true), group, below7)).toBe(true);
    expect(hasGroupAccess(identity(false), group, below7)).toBe(false);
    expect(hasGroupAccess(identity(true), undefined, below7)).toBe(false);
  });

  it('segregation: the subject belongs to the participant; a caller without one owns nothing', () => {
    expect(subjectOfParticipant(identity(true), P1.toUpperCase())).toBe(true);
    expect(subjectOfParticipant(identity(true), undefined)).toBe(false);
    expect(subjectOfParticipant({ kind: 'contact', contactId: 1, participantUids: new Set([P1]) }, P1)).toBe(true);
    expect(subjectOfParticipant({ kind: 'contact', contactId: 1, participantUids: new Set() }, P1)).toBe(false);
  });
});

describe('direct invocation', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const db = createSdkDb({ tableName: 't', region: 'eu-central-1' });
  const handler = createHandler({ settings: { ...loadSettings({}), tableName: 't' }, db });
  const context = { awsRequestId: 'req-1' } as Context;
  beforeEach(() => ddb.reset());

  it('answers the batch with admin semantics', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        t: [
          { pk: 'CONTACT#5', sk: 'LINKS', contactId: 5, participants: {}, assignees: {}, groups: {}, version: 1 },
          { pk: 'GROUP#3', sk: 'GROUP', groupId: 3, contacts: [{ contactId: 5, systemStatus: 'Active' }], assignees: {} },
        ],
      },
    });
    expect(await handler({ checks: [{ contactId: 5, contactGroupId: 3 }, { contactId: 6, contactGroupId: 3 }] }, context)).toEqual({
      results: [{ hasAccess: true }, { hasAccess: false }],
    });
  });

  it('a store failure answers a General error object without internals', async () => {
    ddb.on(BatchGetCommand).rejects(new Error('AccessDeniedException: arn:aws:dynamodb:eu-central-1:123456789012:table/secret'));
    const reply = await handler({ checks: [{ contactId: 5, contactGroupId: 3 }] }, context);
    expect(reply).toMatchObject({ error: { status: 500, code: 'General', subCode: 'NA', correlationId: 'req-1' } });
    expect(JSON.stringify(reply)).not.toMatch(/secret|arn:|AccessDenied/);
  });

  it('tells API Gateway events apart by requestContext.http (no token → 401, nothing read)', async () => {
    const event = { version: '2.0', rawPath: '/v1.0/contact-groups/access/batch', headers: {}, requestContext: { http: { method: 'POST', path: '/v1.0/contact-groups/access/batch' } }, body: '{"checks":[]}', isBase64Encoded: false };
    const reply = (await handler(event, context)) as { statusCode: number };
    expect(reply.statusCode).toBe(401);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('canReadGroup (SPEC 5.3)', () => {
  const group = { assignees: { '9': 1, '7': 0 }, activeContactIds: [1, 2] };
  const reachOf = (memberId: number, above9: number[] = []) => ({ memberId, hierarchy: new Map([[9, above9]]) });
  const scopes = new Set(['crs.read']);
  const member = (memberId: number): Caller => ({ type: 'member', subject: 's', memberId, scopes });
  const app: Caller = { type: 'application', subject: 'a', scopes };
  const admin: Caller = { type: 'application', subject: 'a', scopes: new Set(['crs.read', 'crs.admin']) };
  const none = () => false;
  it.each([
    ['an admin, always', admin, {}, true],
    ['the counted member itself', member(9), { reach: reachOf(9) }, true],
    ['a manager above the counted member', member(3), { reach: reachOf(3, [3, 1]) }, true],
    ['a member counted with 0 only', member(7), { reach: reachOf(7) }, false],
    ['a member in another branch', member(4), { reach: reachOf(4, [3, 1]) }, false],
    ['a member without a reach (identity missing or inactive)', member(9), {}, false],
    ['a contact of the group', { type: 'contact', subject: 'c', contactId: 2, scopes } as Caller, {}, true],
    ['another contact', { type: 'contact', subject: 'c', contactId: 3, scopes } as Caller, {}, false],
    ['an application that can access an Active contact', app, { contactAccessible: (c: number) => c === 2 }, true],
    ['an application that can access none', app, {}, false],
  ] as const)('%s', (_, caller, facts, expected) => {
    expect(canReadGroup(caller, group, { contactAccessible: none, ...facts })).toBe(expected);
  });
});
