// Payloads of ContactAccessManagement (SPEC 5.1).
import * as z from './zod.js';
import { id, list, pathId, uuid } from './common.js';

export const contactPath = z.object({ contactId: pathId });
export const contactMemberPath = z.object({ contactId: pathId, memberId: pathId });

/** Both spellings of the seed are accepted (`participantUids`, `participantUIds`); together they are merged. */
export const participantAccessBody = z.withMeta(
  z.pipe(
    z
      .object({
        participantUids: z.nullish(list(uuid)),
        participantUIds: z.nullish(list(uuid)),
      })
      .check(
        z.refine((b) => b.participantUids != null || b.participantUIds != null, {
          message: 'participantUids (or participantUIds) is required',
          path: ['participantUids'],
        }),
      ),
    z.transform((b: { participantUids?: string[] | null | undefined; participantUIds?: string[] | null | undefined }) => ({
      participantUids: [...new Set([...(b.participantUids ?? []), ...(b.participantUIds ?? [])])],
    })),
  ),
  { id: 'ParticipantAccess', example: { participantUIds: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'] } },
);

export const memberIdsBody = z.withMeta(z.object({ memberIds: list(id) }), { id: 'MemberIds', example: { memberIds: [7, 12] } });

const int = () => z.number().check(z.int());

export const advisor = z.withMeta(
  z.object({
    id: int(),
    identityId: z.string(),
    firstName: z.nullable(z.string()),
    lastName: z.nullable(z.string()),
    email: z.nullable(z.string()),
    phone: z.nullable(z.string()),
    jobTitle: z.nullable(z.string()),
    hasProfilePicture: z.boolean(),
  }),
  { id: 'Advisor' },
);

export const memberProfilesResponse = z.withMeta(z.object({ advisors: z.array(advisor) }), {
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

export const profilePictureResponse = z.withMeta(
  z.object({
    imageContentBase64: z.withMeta(z.string(), { description: 'The image (PNG, JPEG or WebP) in base64.' }),
    isDefaultImage: z.withMeta(z.boolean(), { description: 'True when the member has no stored picture and the built-in default is returned.' }),
  }),
  { id: 'ProfilePicture', example: { imageContentBase64: 'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJ…', isDefaultImage: false } },
);

export const memberAccessSearchBody = z.withMeta(z.object({ contactUids: list(uuid) }), {
  id: 'MemberAccessSearch',
  example: { contactUids: ['c0a7c7e0-0000-4000-8000-000000000001'] },
});

export const memberAccessEntry = z.withMeta(
  z.object({
    memberId: int(),
    identityId: z.string(),
    accessType: z.enum(['Direct', 'Hierarchy']),
    viaMemberId: z.withMeta(z.nullable(int()), {
      description: 'For Hierarchy: the directly assigned member the access comes through (the nearest one below it; on a tie the smallest memberId). Null for Direct.',
    }),
  }),
  { id: 'MemberAccessEntry' },
);

export const memberAccessSearchResponse = z.withMeta(
  z.object({
    memberAccess: z.array(
      z.object({
        contactUid: z.string(),
        contactId: int(),
        members: z.withMeta(z.array(memberAccessEntry), { description: 'Direct first, then Hierarchy; each by memberId.' }),
      }),
    ),
  }),
  {
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
  },
);
