// Inbound event contracts (SPEC 6): the EventBridge envelope and one zod schema per detail-type.
import * as z from 'zod';
import { ENTITY_TYPES } from '../domain/catalogues.js';
import { id, name, uuid, version, list } from '../schemas/common.js';

const optionalText = (max = 200) => z.string().max(max).nullish().transform((v) => v ?? undefined);

export const contactUpserted = z.object({
  contactUid: uuid,
  title: optionalText(50),
  firstName: name.nullish().transform((v) => v ?? undefined),
  lastName: name.nullish().transform((v) => v ?? undefined),
  gender: optionalText(50),
  email: optionalText(320),
  phone: optionalText(50),
  participantUids: list(uuid).nullish().transform((v) => v ?? undefined),
  isActive: z.boolean().nullish().transform((v) => v ?? undefined),
  version,
});

export const contactDeleted = z.object({ contactUid: uuid, version });

export const memberUpserted = z.object({
  memberId: id,
  identityId: uuid,
  participantUid: uuid.nullish().transform((v) => v ?? undefined),
  parentMemberId: id.nullish().transform((v) => v ?? undefined),
  firstName: name,
  lastName: name,
  email: optionalText(320),
  phone: optionalText(50),
  jobTitle: optionalText(),
  isActive: z.boolean().nullish().transform((v) => v ?? undefined),
  version,
});

export const memberPictureUpdated = z.object({
  memberId: id,
  // 150 KB of image is at most 204,800 base64 characters; allow whitespace slack, the decoder checks the size.
  imageContentBase64: z.string().max(210_000).nullable(),
  version,
});

export const memberDeleted = z.object({ memberId: id, version });

export const entityType = z.enum(ENTITY_TYPES);

export const entityLinked = z.object({ entityType, entityId: id, contactGroupId: id, version });
export const entityUnlinked = z.object({ entityType, entityId: id, version });

export const DETAIL_SCHEMAS = {
  ContactUpserted: contactUpserted,
  ContactDeleted: contactDeleted,
  MemberUpserted: memberUpserted,
  MemberPictureUpdated: memberPictureUpdated,
  MemberDeleted: memberDeleted,
  EntityLinked: entityLinked,
  EntityUnlinked: entityUnlinked,
} as const;

export type DetailType = keyof typeof DETAIL_SCHEMAS;
export const DETAIL_TYPES = Object.keys(DETAIL_SCHEMAS) as DetailType[];

export const envelope = z.object({
  id: z.string().min(1).max(256).optional(),
  source: z.string().max(256).optional(),
  'detail-type': z.string().max(256),
  time: z.string().max(64).optional(),
  detail: z.unknown(),
});

export type InboundEvent = {
  [K in DetailType]: { id: string; source?: string | undefined; detailType: K; detail: z.infer<(typeof DETAIL_SCHEMAS)[K]> };
}[DetailType];

export type IngestStatus = 'applied' | 'ignored' | 'rejected';
export interface IngestResult {
  id: string;
  status: IngestStatus;
  reason?: string;
  contactId?: number;
}

/** Raw input → typed event, or the reason it can never apply. */
export function parseInboundEvent(raw: unknown, fallbackId: string): { event: InboundEvent } | { id: string; reason: string } {
  const env = envelope.safeParse(raw);
  const eventId = (env.success && env.data.id) || fallbackId;
  if (!env.success) return { id: eventId, reason: `invalid envelope: ${summarize(env.error)}` };
  const detailType = env.data['detail-type'];
  if (!(detailType in DETAIL_SCHEMAS)) return { id: eventId, reason: `unknown detail-type: ${detailType}` };
  const schema = DETAIL_SCHEMAS[detailType as DetailType];
  const detail = schema.safeParse(env.data.detail);
  if (!detail.success) return { id: eventId, reason: `invalid ${detailType}: ${summarize(detail.error)}` };
  return {
    event: { id: eventId, source: env.data.source, detailType: detailType as DetailType, detail: detail.data } as InboundEvent,
  };
}

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
