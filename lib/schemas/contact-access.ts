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

export const memberProfilesResponse = z.object({ advisors: z.array(advisor) }).meta({
  id: 'MemberProfiles',
  example: {
    advisors: [
      {
        id: 4,
        identityId: '4d2c1b0a-0000-4000-8000-000000000004',
        firstName: 'Luca',
        lastName: 'Rossi',
        email: 'luca.rossi@advisors.example.com',
        phone: '+41 44 555 01 04',
        jobTitle: 'Client Advisor',
        hasProfilePicture: true,
      },
    ],
  },
});

export const profilePictureResponse = z
  .object({
    imageContentBase64: z.string().meta({ description: 'The image (PNG, JPEG or WebP) in base64.' }),
    isDefaultImage: z.boolean().meta({ description: 'True when the member has no stored picture and the built-in default is returned.' }),
  })
  .meta({ id: 'ProfilePicture', example: { imageContentBase64: 'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJ…', isDefaultImage: false } });

export const memberAccessSearchBody = z
  .object({ contactUids: list(uuid) })
  .meta({ id: 'MemberAccessSearch', example: { contactUids: ['c0a7c7e0-0000-4000-8000-000000000001'] } });

export const memberAccessEntry = z
  .object({
    memberId: z.number().int(),
    identityId: z.string(),
    accessType: z.enum(['Direct', 'Hierarchy']),
    viaMemberId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'For Hierarchy: the directly assigned member the access comes through (the nearest one below it; on a tie the smallest memberId). Null for Direct.' }),
  })
  .meta({ id: 'MemberAccessEntry' });

export const memberAccessSearchResponse = z
  .object({
    memberAccess: z.array(
      z.object({
        contactUid: z.string(),
        contactId: z.number().int(),
        members: z.array(memberAccessEntry).meta({ description: 'Direct first, then Hierarchy; each by memberId.' }),
      }),
    ),
  })
  .meta({
    id: 'MemberAccessSearchResult',
    example: {
      memberAccess: [
        {
          contactUid: 'c0a7c7e0-0000-4000-8000-000000000001',
          contactId: 1,
          members: [
            { memberId: 5, identityId: '4d2c1b0a-0000-4000-8000-000000000005', accessType: 'Direct', viaMemberId: null },
            { memberId: 1, identityId: '4d2c1b0a-0000-4000-8000-000000000001', accessType: 'Hierarchy', viaMemberId: 5 },
            { memberId: 2, identityId: '4d2c1b0a-0000-4000-8000-000000000002', accessType: 'Hierarchy', viaMemberId: 5 },
          ],
        },
      ],
    },
  });
