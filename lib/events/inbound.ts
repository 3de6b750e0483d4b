// Inbound event contracts (SPEC 6): the EventBridge envelope and one zod schema per detail-type.
import * as z from '../schemas/zod.js';
import { ENTITY_TYPES } from '../domain/catalogues.js';
import { id, name, uuid, version, list } from '../schemas/common.js';

/** Absent, null or a value: null reads as absent. */
const orAbsent = <T extends z.ZodSchema>(schema: T) => z.pipe(z.nullish(schema), z.transform((v: z.output<T> | null | undefined) => v ?? undefined));
const optionalText = (max = 200) => orAbsent(z.string().check(z.maxLength(max)));

export const contactUpserted = z.object({
  contactUid: uuid,
  title: optionalText(50),
  firstName: orAbsent(name),
  lastName: orAbsent(name),
  gender: optionalText(50),
  email: optionalText(320),
  phone: optionalText(50),
  participantUids: orAbsent(list(uuid)),
  isActive: orAbsent(z.boolean()),
  version,
});

export const contactDeleted = z.object({ contactUid: uuid, version });

export const memberUpserted = z.object({
  memberId: id,
  identityId: uuid,
  participantUid: orAbsent(uuid),
  parentMemberId: orAbsent(id),
  firstName: name,
  lastName: name,
  email: optionalText(320),
  phone: optionalText(50),
  jobTitle: optionalText(),
  isActive: orAbsent(z.boolean()),
  version,
});

export const memberPictureUpdated = z.object({
  memberId: id,
  // 150 KB of image is at most 204,800 base64 characters; allow whitespace slack, the decoder checks the size.
  imageContentBase64: z.nullable(z.string().check(z.maxLength(210_000))),
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
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  source: z.optional(z.string().check(z.maxLength(256))),
  'detail-type': z.string().check(z.maxLength(256)),
  time: z.optional(z.string().check(z.maxLength(64))),
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
