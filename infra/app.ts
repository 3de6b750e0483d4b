// The CDK app: `cdk synth|deploy -c env=dev|prod` builds the service's stacks for that environment, checked by cdk-nag.
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from './config.js';
import { addServiceStacks } from './stacks/service.js';

const app = new App();
addServiceStacks(app, loadConfig(app.node.tryGetContext('env') ?? 'dev'));
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
app.synth();
