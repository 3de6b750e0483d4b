// Every function's bundle stays within its budget (infra/build/bundle-budgets.ts), built as CDK builds it: the check
// builds with esbuild's API from infra/build/bundling.ts, and one function is also synthesized through CDK to show that
// the two builds are the same bytes.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIGS } from '../../infra/config.js';
import { ServiceFunction } from '../../infra/constructs/service-function.js';
import { BUNDLE_BUDGETS } from '../../infra/build/bundle-budgets.js';
import { FUNCTION_NAMES, entryOf, esbuildOptions } from '../../infra/build/bundling.js';

process.env.CDK_VALIDATION = 'false';

const out = mkdtempSync(join(tmpdir(), 'crs-bundles-'));
const bundleOf = (name: string) => join(out, name, 'index.mjs');

beforeAll(async () => {
  await Promise.all(FUNCTION_NAMES.map((name) => build(esbuildOptions(entryOf(name), bundleOf(name)))));
}, 120_000);

describe('bundle budgets', () => {
  it('has a budget for every function folder, and a function for every budget', () => {
    const folders = readdirSync(new URL('../../functions/', import.meta.url)).sort();
    expect([...FUNCTION_NAMES].sort()).toEqual(folders);
    expect(Object.keys(BUNDLE_BUDGETS).sort()).toEqual(folders);
  });

  it.each(FUNCTION_NAMES)('%s stays within its budget', (name) => {
    const kb = statSync(bundleOf(name)).size / 1024;
    const { budgetKB } = BUNDLE_BUDGETS[name];
    expect(kb, `${name}: ${kb.toFixed(1)} KB over its budget of ${budgetKB} KB (infra/build/bundle-budgets.ts)`).toBeLessThanOrEqual(budgetKB);
  });

  it('measures what CDK deploys: the synthesized bundle is the same bytes', () => {
    const app = new App();
    const stack = new Stack(app, 'BundleBudget');
    new ServiceFunction(stack, 'Fn', {
      name: 'contact-group-access',
      description: 'bundle',
      config: CONFIGS.dev,
      alarmAction: new SnsAction(new sns.Topic(stack, 'Alarms')),
    });
    const assembly = app.synth().directory;
    const [asset] = readdirSync(assembly).filter((d) => d.startsWith('asset.') && statSync(join(assembly, d)).isDirectory());
    const synthesized = readFileSync(join(assembly, asset!, 'index.mjs'));
    expect(synthesized.equals(readFileSync(bundleOf('contact-group-access')))).toBe(true);
  }, 120_000);
});
