// Size budget of each function's bundle (minified index.mjs as CDK deploys it), next to the size measured when the
// budget was set. test/infra/bundle-budgets.test.ts fails when a bundle outgrows its budget: a bundle's size is what
// its cold start parses, so a growth is a decision (raise the budget here, with the reason in the commit), never a
// side effect of an import. `npm run bench` prints the current sizes.
import type { FunctionName } from './bundling.js';

export interface BundleBudget {
  /** Fails above this many KB (1 KB = 1,024 bytes). */
  readonly budgetKB: number;
  /** The size measured when the budget was set (KB), for the reader: the headroom is budget − measured. */
  readonly measuredKB: number;
}

export const BUNDLE_BUDGETS: Readonly<Record<FunctionName, BundleBudget>> = {
  'contact-access': { budgetKB: 370, measuredKB: 360 },
  'contact-group-access': { budgetKB: 360, measuredKB: 356 },
  'contact-groups': { budgetKB: 430, measuredKB: 423 },
  'contact-relatives': { budgetKB: 350, measuredKB: 349 },
  docs: { budgetKB: 335, measuredKB: 326 },
  ingest: { budgetKB: 360, measuredKB: 355 },
  publish: { budgetKB: 280, measuredKB: 277 },
  project: { budgetKB: 320, measuredKB: 312 },
};
