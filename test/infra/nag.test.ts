// cdk-nag (AwsSolutions) on every stack of both environments: no finding may stay unsuppressed.
import { readFileSync } from 'node:fs';
import { Annotations, App, Aspects } from 'aws-cdk-lib';
import { HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Annotations as Found, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CONFIGS, type ServiceConfig } from '../../infra/config.js';
import { PLACEHOLDER_ISSUER_WARNING } from '../../infra/stacks/api-stack.js';
import { addServiceStacks, type ServiceStacks } from '../../infra/stacks/service.js';

// `npm run synth` runs CloudFormation's template validation; here it would add about 5 s to every synthesis.
process.env.CDK_VALIDATION = 'false';

function checkedStacks(config: ServiceConfig, change?: (stacks: ServiceStacks) => void) {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({
    context: {
      ...cdkJson.context,
      'aws:cdk:bundling-stacks': [],
      // Report error annotations instead of throwing on them (as the CLI does), so findError can list them.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const stacks = addServiceStacks(app, config);
  // Known and intended here: the configs' issuers are placeholders (the warning is for operators deploying them).
  Annotations.of(stacks.api).acknowledgeWarning(PLACEHOLDER_ISSUER_WARNING);
  change?.(stacks);
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true, reports: false }));
  return stacks;
}

/** Unsuppressed AwsSolutions findings of the given level, over all stacks. */
function findings(stacks: ServiceStacks, level: 'error' | 'warning') {
  return Object.values(stacks).flatMap((stack) => {
    const annotations = Found.fromStack(stack);
    const found = level === 'error'
      ? annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))
      : annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    return found.map((f) => `${f.id} ${String(f.entry.data).split('\n')[0]}`);
  });
}

describe('cdk-nag AwsSolutions', () => {
  const environments = [
    ['prod (with a direct-invoke principal)', { ...CONFIGS.prod, directInvokePrincipals: ['arn:aws:iam::111122223333:role/batch-access-caller'] }],
    ['dev', CONFIGS.dev],
  ] as const;

  for (const [name, config] of environments) {
    it(`reports no unsuppressed error or warning in ${name}`, () => {
      const stacks = checkedStacks(config);
      expect(findings(stacks, 'error')).toEqual([]);
      expect(findings(stacks, 'warning')).toEqual([]);
    });
  }

  it('still reports what is not suppressed: an extra route without authorizer fails APIG4', () => {
    const stacks = checkedStacks(CONFIGS.prod, ({ api }) => {
      api.api.addRoutes({
        path: '/unprotected',
        integration: new HttpUrlIntegration('Unprotected', 'https://example.com'),
        authorizer: new HttpNoneAuthorizer(),
      });
    });
    expect(findings(stacks, 'error')).toEqual([expect.stringMatching(/unprotected\/Resource AwsSolutions-APIG4:/)]);
  });
});
