// Every endpoint of the service, by function group: the source of the route tables, the API Gateway routes and OpenAPI.
import type { Endpoint, FunctionGroup } from '../contract.js';
import { contactAccessEndpoints } from './contact-access.js';
import { contactGroupAccessEndpoints } from './contact-group-access.js';
import { contactGroupsEndpoints } from './contact-groups.js';
import { contactRelativesEndpoints } from './contact-relatives.js';
import { docsEndpoints } from './docs.js';

export const ENDPOINTS_BY_FUNCTION: Record<FunctionGroup, readonly Endpoint[]> = {
  'contact-access': contactAccessEndpoints,
  'contact-group-access': contactGroupAccessEndpoints,
  'contact-groups': contactGroupsEndpoints,
  'contact-relatives': contactRelativesEndpoints,
  docs: docsEndpoints,
};

export const ALL_ENDPOINTS: readonly Endpoint[] = Object.values(ENDPOINTS_BY_FUNCTION).flat();
