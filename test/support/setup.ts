// Registers the aws-sdk-client-mock matchers once for every test file.
import { expect } from 'vitest';
import { allCustomMatcher } from 'aws-sdk-client-mock-vitest';
import 'aws-sdk-client-mock-vitest/extend';

expect.extend(allCustomMatcher);
