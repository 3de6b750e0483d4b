// Payloads of ContactAccessManagement (SPEC 5.1).
import * as z from 'zod';
import { id, list, pathId, uuid } from './common.js';

export const contactPath = z.object({ contactId: pathId });
export const contactMemberPath = z.object({ contactId: pathId, memberId: pathId });

/** Both spellings of the seed are accepted (`participantUids`, `participantUIds`); together they are merged. */
export const participantAccessBody = z
  .object({
    participantUids: list(uuid).nullish(),
    participantUIds: list(uuid).nullish(),
  })
  .refine((b) => b.participantUids != null || b.participantUIds != null, {
    message: 'participantUids (or participantUIds) is required',
    path: ['participantUids'],
  })
  .transform((b) => ({ participantUids: [...new Set([...(b.participantUids ?? []), ...(b.participantUIds ?? [])])] }))
  .meta({ id: 'ParticipantAccess', example: { participantUIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'] } });

export const memberIdsBody = z
  .object({ memberIds: list(id) })
  .meta({ id: 'MemberIds', example: { memberIds: [7, 12] } });

export const advisor = z
  .object({
    id: z.number().int(),
    identityId: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    jobTitle: z.string().nullable(),
    hasProfilePicture: z.boolean(),
  })
  .meta({ id: 'Advisor' });

export const memberProfilesResponse = z.object({ advisors: z.array(advisor) }).meta({ id: 'MemberProfiles' });

export const profilePictureResponse = z
  .object({ imageContentBase64: z.string(), isDefaultImage: z.boolean() })
  .meta({ id: 'ProfilePicture' });

export const memberAccessSearchBody = z
  .object({ contactUids: list(uuid) })
  .meta({ id: 'MemberAccessSearch', example: { contactUids: ['9b2d3c1e-0000-4000-8000-000000000001'] } });

export const memberAccessEntry = z
  .object({
    memberId: z.number().int(),
    identityId: z.string(),
    accessType: z.enum(['Direct', 'Hierarchy']),
    viaMemberId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'For Hierarchy: the directly assigned member the access comes through (the nearest one). Null for Direct.' }),
  })
  .meta({ id: 'MemberAccessEntry' });

export const memberAccessSearchResponse = z
  .object({
    memberAccess: z.array(z.object({ contactUid: z.string(), contactId: z.number().int(), members: z.array(memberAccessEntry) })),
  })
  .meta({ id: 'MemberAccessSearchResult' });
