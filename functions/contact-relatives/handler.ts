// contact-relatives: relatives of a contact and the relationship-type catalogues (SPEC 5.4).
import { httpFunction } from '../../lib/http/pipeline.js';
import { route } from '../../lib/http/route.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import { listRelationshipTypes } from '../../lib/api/contracts/contact-relatives.js';
import { relationshipTypes } from '../../lib/use-cases/catalogues.js';

export function createHandler(runtime: Runtime) {
  return httpFunction(
    [route(listRelationshipTypes, async ({ lang }) => ({ body: relationshipTypes(lang) }))],
    { defaultLanguage: runtime.settings.defaultLanguage },
  );
}

export const handler = createHandler(createRuntime());
