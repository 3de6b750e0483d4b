// Property: for every contact A and relative B, A lists B with type T exactly when B lists A with reciprocal(T) —
// after random sequences of PUT / DELETE / ContactDeleted, batches of them running concurrently (often on one pair),
// against DynamoDB Local. Each batch must also be linearizable: its outcome equals some serial order of its
// successful operations on a model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { callers, startTestServer, type TestServer } from '../support/server.js';
import { ev, uidOf } from '../support/events.js';
import { createDb } from '../../lib/store/client.js';
import { queryPrefix } from '../../lib/store/reads.js';
import { keys } from '../../lib/store/keys.js';
import type { RelativeItem } from '../../lib/store/items.js';
import { RELATIVE_RELATIONSHIP_TYPE_NAMES, reciprocalOf, type RelativeRelationshipType } from '../../lib/domain/catalogues.js';
import { ingestEvent } from '../../lib/use-cases/ingest/index.js';
import { linkRelative } from '../../lib/use-cases/relatives.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import type { Caller } from '../../lib/domain/caller.js';

const N = 4; // contacts per run: few, so operations collide on the same pairs
type Op =
  | { kind: 'put'; a: number; b: number; type: RelativeRelationshipType }
  | { kind: 'delete'; a: number; b: number }
  | { kind: 'contactDeleted'; a: number };

/** Directed edges "i>j" → type, over contact indexes; plus the live contacts. */
interface State {
  live: Set<number>;
  edges: Map<string, RelativeRelationshipType>;
}

let server: TestServer;
let admin: string;
let uidSeq = 1000;
let versionSeq = 10;

const contactIndex = fc.integer({ min: 0, max: N - 1 });
const pair = fc.tuple(contactIndex, fc.integer({ min: 1, max: N - 1 })).map(([a, d]) => [a, (a + d) % N] as const);
const type = fc.constantFrom(...RELATIVE_RELATIONSHIP_TYPE_NAMES);
const anyOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(pair, type).map(([[a, b], t]): Op => ({ kind: 'put', a, b, type: t })) },
  { weight: 3, arbitrary: pair.map(([a, b]): Op => ({ kind: 'delete', a, b })) },
  { weight: 1, arbitrary: contactIndex.map((a): Op => ({ kind: 'contactDeleted', a })) },
);
/** Concurrent operations on one pair, either direction, sometimes with the deletion of one of its contacts. */
const samePairBatch: fc.Arbitrary<Op[]> = fc.tuple(pair, fc.array(fc.tuple(fc.boolean(), fc.option(type, { nil: undefined })), { minLength: 2, maxLength: 3 }), fc.option(fc.boolean(), { nil: undefined })).map(
  ([[a, b], ops, deleteSide]) => [
    ...ops.map(([flip, t]): Op => {
      const [x, y] = flip ? [b, a] : [a, b];
      return t === undefined ? { kind: 'delete', a: x, b: y } : { kind: 'put', a: x, b: y, type: t };
    }),
    ...(deleteSide === undefined ? [] : [{ kind: 'contactDeleted', a: deleteSide ? a : b } as Op]),
  ],
);
const batches = fc.array(fc.oneof(fc.array(anyOp, { minLength: 1, maxLength: 3 }), samePairBatch), { minLength: 1, maxLength: 8 });

const edgeKey = (i: number, j: number) => `${i}>${j}`;

/** Applies one operation to the model; returns the outcome the service must report for it in that position. */
function applyToModel(state: State, op: Op): string {
  if (op.kind === 'contactDeleted') {
    if (!state.live.has(op.a)) return 'ignored';
    state.live.delete(op.a);
    for (const key of [...state.edges.keys()]) if (key.split('>').map(Number).includes(op.a)) state.edges.delete(key);
    return 'applied';
  }
  if (!state.live.has(op.a) || !state.live.has(op.b)) return '404';
  if (op.kind === 'put') {
    state.edges.set(edgeKey(op.a, op.b), op.type);
    state.edges.set(edgeKey(op.b, op.a), reciprocalOf(op.type));
  } else {
    state.edges.delete(edgeKey(op.a, op.b));
    state.edges.delete(edgeKey(op.b, op.a));
  }
  return '204';
}

const cloneState = (s: State): State => ({ live: new Set(s.live), edges: new Map(s.edges) });
const sameState = (x: State, y: State) =>
  [...x.live].sort().join() === [...y.live].sort().join() &&
  x.edges.size === y.edges.size &&
  [...x.edges].every(([k, v]) => y.edges.get(k) === v);

function* permutations<T>(list: readonly T[]): Generator<T[]> {
  if (list.length <= 1) {
    yield [...list];
    return;
  }
  for (let i = 0; i < list.length; i++) {
    for (const rest of permutations([...list.slice(0, i), ...list.slice(i + 1)])) yield [list[i]!, ...rest];
  }
}

/** Some serial order of the batch, skipping operations that lost every retry (409), explains outcomes and state. */
function explains(before: State, ops: readonly Op[], outcomes: readonly string[], after: State): boolean {
  const done = ops.map((op, i) => ({ op, outcome: outcomes[i]! })).filter((x) => x.outcome !== '409');
  for (const order of permutations(done)) {
    const model = cloneState(before);
    if (order.every(({ op, outcome }) => applyToModel(model, op) === outcome) && sameState(model, after)) return true;
  }
  return false;
}

async function run(ids: readonly number[], uids: readonly string[], op: Op): Promise<string> {
  if (op.kind === 'contactDeleted') {
    const out = await server.ingest([ev.contactDeleted(uids[op.a]!, ++versionSeq)]);
    return out.results[0]!.status;
  }
  const path = `/v1.1/contacts/${ids[op.a]}/relatives/${ids[op.b]}`;
  const res = op.kind === 'put' ? await server.request('PUT', path, { token: admin, body: { relationshipType: op.type } }) : await server.request('DELETE', path, { token: admin });
  return String(res.status);
}

/**
 * The stored state, read raw and through the API. Asserts the invariant on both views: rows exist only between
 * live contacts and always in reciprocal pairs, and GET lists exactly the stored relatives of a live contact.
 */
async function observe(ids: readonly number[]): Promise<State> {
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const state: State = { live: new Set(), edges: new Map() };
  for (const [i, id] of ids.entries()) {
    const rows = await queryPrefix<RelativeItem>(server.db, keys.contactLinks(id).pk, keys.relativePrefix);
    for (const row of rows) state.edges.set(edgeKey(i, indexOf.get(row.relativeContactId)!), row.relationshipType);
    const res = await server.request('GET', `/v1.1/contacts/${id}/relatives`, { token: admin });
    if (res.status === 404) {
      expect(rows, `rows left in the partition of deleted contact ${id}`).toEqual([]);
      continue;
    }
    expect(res.status).toBe(200);
    state.live.add(i);
    const listed = (res.body as { contactId: number; relationshipType: { systemName: string } }[]).map((r) => [r.contactId, r.relationshipType.systemName]);
    expect(listed.sort()).toEqual(rows.map((r) => [r.relativeContactId, r.relationshipType]).sort());
  }
  for (const [key, t] of state.edges) {
    const [i, j] = key.split('>').map(Number) as [number, number];
    expect(state.live.has(i) && state.live.has(j), `edge ${key} touches a deleted contact`).toBe(true);
    expect(state.edges.get(edgeKey(j, i)), `reciprocal of ${key} (${t})`).toBe(reciprocalOf(t));
  }
  return state;
}

async function freshContacts(): Promise<{ ids: number[]; uids: string[] }> {
  const uids = Array.from({ length: N }, () => uidOf(++uidSeq));
  const out = await server.ingest(uids.map((contactUid, i) => ev.contactUpserted({ contactUid, firstName: `F${i}`, lastName: `L${i}`, version: 1 })));
  return { ids: out.results.map((r) => r.contactId!), uids };
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.token(callers.admin());
});
afterAll(() => server?.stop());

describe('relative links stay reciprocal', () => {
  it('after random, partly concurrent PUT / DELETE / ContactDeleted sequences (and every batch is linearizable)', async () => {
    let concurrentBatches = 0;
    await fc.assert(
      fc.asyncProperty(batches, async (plan) => {
        const { ids, uids } = await freshContacts();
        let state: State = { live: new Set(ids.keys()), edges: new Map() };
        for (const ops of plan) {
          if (ops.length > 1) concurrentBatches++;
          const outcomes = await Promise.all(ops.map((op) => run(ids, uids, op)));
          const after = await observe(ids);
          expect(explains(state, ops, outcomes, after), `batch ${JSON.stringify(ops)} → ${outcomes.join(',')}`).toBe(true);
          state = after;
        }
      }),
      { numRuns: 30 },
    );
    expect(concurrentBatches).toBeGreaterThan(20);
  }, 120_000);
});

describe('ContactDeleted racing a relative PUT', () => {
  const adminCaller: Caller = { type: 'application', subject: 'admin', scopes: new Set(['crs.read', 'crs.write', 'crs.admin']) };
  const guard = () => new AccessGuard(server.db, { dataSegregation: false }, adminCaller);

  /** A client of the same table that runs `action` once, before or after the first request `matches` accepts. */
  function hookedDb(matches: (command: string, input: Record<string, unknown>) => boolean, when: 'before' | 'after', action: () => Promise<unknown>) {
    const db = createDb({ tableName: server.db.tableName, endpoint: server.db.endpoint });
    const state = { fired: false };
    db.doc.use(async (request, next) => {
      const hit = !state.fired && matches(request.operation, request.input as Record<string, unknown>);
      if (hit) state.fired = true;
      if (hit && when === 'before') await action();
      const result = await next(request);
      if (hit && when === 'after') await action();
      return result;
    });
    return { db, state };
  }
  // A middleware sees the document input (plain values); a marshalled one ({ S: '…' }) is read too.
  const text = (v: unknown) => (typeof v === 'string' ? v : (v as { S?: string } | undefined)?.S);
  const readsLinksOf = (id: number) => (command: string, input: Record<string, unknown>) => {
    const key = (input.Key ?? {}) as Record<string, unknown>;
    return command.startsWith('Get') && text(key.pk) === keys.contactLinks(id).pk && text(key.sk) === 'LINKS';
  };
  const queriesRelativesOf = (id: number) => (command: string, input: Record<string, unknown>) => {
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
    return command.startsWith('Query') && text(values[':pk']) === keys.contactLinks(id).pk && text(values[':sk']) === keys.relativePrefix;
  };

  // The cascade reads the contact's LINKS, then its relatives, then deletes LINKS conditioned on its version: a
  // relative committed at any point of that must be removed with the contact, never left half-linked.
  const windows = [
    { name: 'before the cascade reads LINKS', match: readsLinksOf, when: 'before' },
    { name: 'after the cascade reads LINKS', match: readsLinksOf, when: 'after' },
    { name: 'after the cascade reads the relatives', match: queriesRelativesOf, when: 'after' },
  ] as const;
  for (const w of windows) {
    it(`removes a relative committed ${w.name}`, async () => {
      const { ids, uids } = await freshContacts();
      const [a, b] = ids as [number, number];
      const put = () => linkRelative(server.db, guard(), { contactId: b, relativeContactId: a, relationshipType: 'Parent', now: 'x' });
      const { db, state } = hookedDb(w.match(a), w.when, put);
      const outcome = await ingestEvent(db, ev.contactDeleted(uids[0]!, ++versionSeq), 'race');
      expect(state.fired).toBe(true);
      expect(outcome.status).toBe('applied');
      const after = await observe(ids);
      expect(after.live.has(0)).toBe(false);
      expect(after.edges.size).toBe(0);
    });
  }

  it('answers 404 to a PUT whose contact is deleted between its read and its write, and writes nothing', async () => {
    const { ids, uids } = await freshContacts();
    const [a, b] = ids as [number, number];
    const deleteA = () => ingestEvent(server.db, ev.contactDeleted(uids[0]!, ++versionSeq), 'race');
    const { db, state } = hookedDb((command) => command.startsWith('TransactWrite'), 'before', deleteA);
    const racing = new AccessGuard(db, { dataSegregation: false }, adminCaller);
    await expect(linkRelative(db, racing, { contactId: b, relativeContactId: a, relationshipType: 'Spouse', now: 'x' })).rejects.toMatchObject({
      code: 'NotFound',
      subCode: 'ContactNotFound',
    });
    expect(state.fired).toBe(true);
    expect((await observe(ids)).edges.size).toBe(0);
  });
});
