// ContactGroupManagement endpoints (SPEC 5.3) and the Dezrez add-group-member endpoint, served by `contact-groups`.
import { endpoint } from '../contract.js';
import {
  contactPath,
  createGroupBody,
  createdResponse,
  groupBody,
  groupPath,
  groupsResponse,
  idempotencyHeaders,
  ifMatchHeaders,
  modifyGroupBody,
  searchBody,
  searchResponse,
} from '../../schemas/contact-groups.js';
import { addGroupMemberBody, dezrezGroupPath, groupMemberDataContract } from '../../schemas/dezrez.js';

const tag = 'ContactGroupManagement';
const fn = 'contact-groups';

export const createGroup = endpoint({
  fn, tag, method: 'POST', path: '/v2.0/contacts/{contactId}/contactgroups', operationId: 'createContactGroup',
  summary: 'Create a new contact group',
  description: 'The path contact is always a member (added first when the body omits it). Honours Idempotency-Key.',
  scope: 'crs.write', params: contactPath, headers: idempotencyHeaders, body: createGroupBody,
  success: { status: 201, description: 'Created', schema: createdResponse, headers: { Location: 'URL of the new group' } },
});

export const listContactGroups = endpoint({
  fn, tag, method: 'GET', path: '/v2.0/contacts/{contactId}/contactgroups', operationId: 'listContactGroups',
  summary: 'Retrieve details of all contact groups of a contact',
  description: 'Every group of the contact, even where the caller cannot access the other contacts.',
  scope: 'crs.read', params: contactPath,
  success: { status: 200, description: 'OK', schema: groupsResponse },
});

export const getGroup = endpoint({
  fn, tag, method: 'GET', path: '/v1.0/contactgroups/{contactGroupId}', operationId: 'getContactGroup',
  summary: 'Retrieve details of a contact group',
  description: 'The caller needs access to at least one active contact of the group. The ETag header carries the version.',
  scope: 'crs.read', params: groupPath,
  success: { status: 200, description: 'OK', schema: groupBody, headers: { ETag: 'The group version, for If-Match' } },
});

export const modifyGroup = endpoint({
  fn, tag, method: 'PUT', path: '/v1.0/contactgroups/{contactGroupId}', operationId: 'modifyContactGroup',
  summary: 'Modify a contact group',
  description: 'null = unchanged; contacts replaces the membership set. Caller needs access to every current and new contact. If-Match honoured (412).',
  scope: 'crs.write', params: groupPath, headers: ifMatchHeaders, body: modifyGroupBody,
  success: { status: 204, description: 'No Content' },
});

export const deleteGroup = endpoint({
  fn, tag, method: 'DELETE', path: '/v1.0/contactgroups/{contactGroupId}', operationId: 'deleteContactGroup',
  summary: 'Delete a contact group',
  description: 'Caller needs access to every contact of the group. A group with linked entities → 422 GroupHasLinkedEntities.',
  scope: 'crs.write', params: groupPath, headers: ifMatchHeaders,
  success: { status: 204, description: 'No Content' },
});

export const searchGroups = endpoint({
  fn, tag, method: 'POST', path: '/v1.0/contact-groups/search', operationId: 'searchContactGroups',
  summary: 'Search contact groups',
  description: 'Criteria combine with AND, list items with OR; name is a case-insensitive prefix; at least one criterion. Only groups the caller may read.',
  scope: 'crs.read', body: searchBody,
  success: { status: 200, description: 'OK', schema: searchResponse },
});

export const addGroupMember = endpoint({
  fn, tag: 'Dezrez', method: 'PUT', path: '/api/group/{id}/addgroupmember', operationId: 'dezrezAddGroupMember',
  summary: 'Add a new contact to an existing group (Dezrez)',
  description: 'PascalCase, as Dezrez Rezi. An existing person by Person.PersonId (or Person.Id), else a new contact from the person fields (LastName required).',
  scope: 'crs.write', params: dezrezGroupPath, body: addGroupMemberBody, errorStyle: 'dezrez',
  success: { status: 200, description: 'The group member', schema: groupMemberDataContract },
});

export const contactGroupsEndpoints = [createGroup, listContactGroups, getGroup, modifyGroup, deleteGroup, searchGroups, addGroupMember] as const;
