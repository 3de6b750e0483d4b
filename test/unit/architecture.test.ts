// The layers of lib/ (docs/architecture.md): every import runs down, never up. An import that breaks a rule fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/**
 * What each part of lib/ may import besides itself (bottom first). `domain` and `i18n` stand alone; the store knows
 * the domain, not the use cases; use cases know the store, not HTTP; HTTP knows the contracts, never a use case.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  domain: [],
  i18n: [],
  // The AWS SDK's and Lambda's terms: which errors mean "retry later", the time an invocation has left.
  aws: [],
  observability: [],
  schemas: ['domain'],
  store: ['domain', 'observability', 'aws'],
  events: ['domain', 'schemas', 'store', 'observability'],
  'use-cases': ['domain', 'store', 'events', 'schemas', 'i18n', 'observability', 'config'],
  // An operator's tool: it judges the store's items and repairs through use cases (finishing a reorganisation,
  // projecting an object again), so it sits beside them, above the store.
  integrity: ['domain', 'store', 'use-cases', 'aws'],
  'api/contracts': ['api/contract', 'schemas', 'domain'],
  'api/contract': ['domain'],
  http: ['domain', 'i18n', 'api/contract', 'schemas', 'observability', 'config', 'aws'],
  // The document generator describes the HTTP layer (its error bodies and refusals): it sits above it.
  'api/openapi': ['api/contract', 'api/contracts', 'api/raised-sub-codes', 'api/classic-schemas', 'schemas', 'domain', 'http', 'i18n'],
  // The service's zod/mini schemas as classic zod schemas, for the document generator only.
  'api/classic-schemas': [],
  'api/raised-sub-codes': ['api/contract', 'domain'],
  'api/docs-page': ['api/openapi', 'http', 'i18n'],
  'api/server-url': [],
  config: ['i18n'],
  runtime: ['config', 'store'],
};

/**
 * Store modules no use case imports, each with why: the store hands use cases named reads, `readTogether`
 * (read-together.ts), item types and write plans committed through plans.ts.
 */
const STORE_INTERNAL: Record<string, string> = {
  'lib/store/keys.ts': 'the only place a key is built',
  'lib/store/expressions.ts': 'conditions belong to the write plans that need them',
  'lib/store/reads.ts': 'reads by raw key; use cases read by name or through readTogether',
  'lib/store/transactions.ts': 'raw actions, transactions and single writes; use cases commit the store\'s plans (plans.ts)',
};

/** Use-case files allowed to import a store-internal module anyway, with the modules (none). */
const STORE_INTERNAL_EXCEPTIONS: Record<string, readonly string[]> = {};

/** The layer a lib/ file belongs to: its folder, or for lib/api the module (contracts, openapi, …). */
function layerOf(file: string): string | undefined {
  const path = relative(join(root, 'lib'), file).replace(/\\/g, '/');
  if (path.startsWith('..')) return undefined;
  const [top, second] = path.split('/');
  if (top === 'api') {
    if (second === 'contracts') return 'api/contracts';
    return `api/${second!.replace(/\.ts$/, '').replace(/\.generated$/, '')}`;
  }
  return top!.replace(/\.ts$/, '');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)].map((m) => resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));

describe('the layers of lib/', () => {
  const files = filesUnder(join(root, 'lib'));

  it('know every part of lib/', () => {
    const unknown = [...new Set(files.map(layerOf))].filter((layer) => layer !== undefined && !(layer in MAY_IMPORT));
    expect(unknown).toEqual([]);
  });

  it('import only downwards (and lib/ never imports functions/, infra/, test/ or bench/)', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file)!;
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        const shown = `${relative(root, file)} → ${relative(root, target)}`;
        if (to === undefined) violations.push(`${shown} (outside lib/)`);
        else if (to !== from && !MAY_IMPORT[from]!.includes(to)) violations.push(`${shown} (${from} may not import ${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("use cases never import the store's internals (keys, conditions, raw reads and writes)", () => {
    const violations: string[] = [];
    for (const file of files.filter((f) => layerOf(f) === 'use-cases')) {
      const from = relative(root, file).replace(/\\/g, '/');
      for (const target of importsOf(file)) {
        const to = relative(root, target).replace(/\\/g, '/');
        if (to in STORE_INTERNAL && !STORE_INTERNAL_EXCEPTIONS[from]?.includes(to)) violations.push(`${from} → ${to} (${STORE_INTERNAL[to]})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('functions/ import lib/ only, never each other', () => {
    const violations: string[] = [];
    for (const file of filesUnder(join(root, 'functions'))) {
      const own = relative(join(root, 'functions'), file).split('/')[0];
      for (const target of importsOf(file)) {
        const path = relative(root, target).replace(/\\/g, '/');
        if (path.startsWith('lib/')) continue;
        if (path.startsWith(`functions/${own}/`)) continue;
        violations.push(`${relative(root, file)} → ${path}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
