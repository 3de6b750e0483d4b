// contact-groups: see SPEC 5 (routes are added with their issue).
import { httpFunction } from '../../lib/http/pipeline.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';

export function createHandler(runtime: Runtime) {
  return httpFunction([], { defaultLanguage: runtime.settings.defaultLanguage });
}

export const handler = createHandler(createRuntime());
