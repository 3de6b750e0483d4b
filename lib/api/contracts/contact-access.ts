// ContactAccessManagement endpoints (SPEC 5.1), served by the `contact-access` function.
import { endpoint } from '../contract.js';
import {
  contactMemberPath,
  contactPath,
  memberAccessSearchBody,
  memberAccessSearchResponse,
  memberIdsBody,
  memberProfilesResponse,
  participantAccessBody,
  profilePictureResponse,
} from '../../schemas/contact-access.js';

const tag = 'ContactAccessManagement';
const fn = 'contact-access';

export const removeParticipantAccess = endpoint({
  fn, tag, method: 'DELETE', path: '/v1.0/contacts/{contactId}/participant-access', operationId: 'removeParticipantAccess',
  summary: 'Remove association of one or more participants from the specified contact',
  description: 'Removing an absent association is not an error. Existing member assignments are not revoked.',
  scope: 'crs.write', params: contactPath, body: participantAccessBody,
  success: { status: 204, description: 'No Content' },
});

export const addParticipantAccess = endpoint({
  fn, tag, method: 'POST', path: '/v1.0/contacts/{contactId}/participant-access', operationId: 'addParticipantAccess',
  summary: 'Associate one or more participants to the specified contact',
  description: 'Idempotent. Both spellings participantUIds and participantUids are accepted.',
  scope: 'crs.write', params: contactPath, body: participantAccessBody,
  success: { status: 204, description: 'No Content' },
});

export const getMemberProfiles = endpoint({
  fn, tag, method: 'GET', path: '/v1.0/contacts/{contactId}/member-profiles', operationId: 'getMemberProfiles',
  summary: "Return the profiles of the contact's advisors",
  description: 'The directly assigned members (deleted members left out), ordered by lastName, firstName (case-insensitive), then id; missing names last.',
  scope: 'crs.read', params: contactPath,
  success: { status: 200, description: 'OK', schema: memberProfilesResponse },
});

export const getProfilePicture = endpoint({
  fn, tag, method: 'GET', path: '/v1.0/contacts/{contactId}/member/{memberId}/profile-picture', operationId: 'getProfilePicture',
  summary: "Return the profile picture of a contact's advisor",
  description: 'The stored picture, or a built-in default image with isDefaultImage true. 404 when the member is not an advisor of the contact.',
  scope: 'crs.read', params: contactMemberPath,
  success: { status: 200, description: 'OK', schema: profilePictureResponse },
});

export const addMembers = endpoint({
  fn, tag, method: 'POST', path: '/v1.0/contacts/{contactId}/members', operationId: 'addMembers',
  summary: 'Assign members to a contact',
  description:
    'Adds assignments (idempotent). Unknown or deleted member → 422 MemberNotFound; with data segregation, a newly assigned member of a participant the contact is not associated with (or of none) → 422 MemberParticipantMismatch. Nothing changes on an error.',
  scope: 'crs.write', params: contactPath, body: memberIdsBody,
  success: { status: 204, description: 'No Content' },
});

export const replaceMembers = endpoint({
  fn, tag, method: 'PUT', path: '/v1.0/contacts/{contactId}/members', operationId: 'replaceMembers',
  summary: 'Manage member assignment to a contact',
  description:
    'Replaces the assignment set atomically; an empty list unassigns all. Same rules as POST; the segregation rule applies to newly assigned members only, so an assignment kept from before a participant association was removed survives.',
  scope: 'crs.write', params: contactPath, body: memberIdsBody,
  success: { status: 204, description: 'No Content' },
});

export const searchMemberAccess = endpoint({
  fn, tag, method: 'POST', path: '/v1.0/contacts/member-access/search', operationId: 'searchMemberAccess',
  summary: 'Search for members assigned to the specified contacts',
  description:
    'For each accessible, existing contact (in request order, duplicates once): its assigned members (Direct) and every ancestor of them in the member hierarchy (Hierarchy, with the nearest assigned member it comes through). ' +
    'Members are listed Direct first, then Hierarchy, each by memberId; deleted and inactive members are left out (an inactive member still passes access to its ancestors). ' +
    'Unknown or inaccessible uids are left out. At most 100 uids.',
  scope: 'crs.read', body: memberAccessSearchBody,
  success: { status: 200, description: 'OK', schema: memberAccessSearchResponse },
});

export const contactAccessEndpoints = [
  removeParticipantAccess, addParticipantAccess, getMemberProfiles, getProfilePicture, addMembers, replaceMembers, searchMemberAccess,
] as const;
