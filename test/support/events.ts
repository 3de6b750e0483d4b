// Builders of inbound EventBridge events for tests (SPEC 6 shapes).
import { randomUUID } from 'node:crypto';

let seq = 0;
const envelope = (detailType: string, detail: Record<string, unknown>) => ({
  id: `evt-${++seq}-${randomUUID().slice(0, 8)}`,
  source: 'test',
  'detail-type': detailType,
  time: new Date().toISOString(),
  detail,
});

export const ev = {
  contactUpserted: (d: { contactUid: string; version: number } & Record<string, unknown>) => envelope('ContactUpserted', d),
  contactDeleted: (contactUid: string, version: number) => envelope('ContactDeleted', { contactUid, version }),
  memberUpserted: (
    d: { memberId: number; version: number; identityId?: string; parentMemberId?: number | null } & Record<string, unknown>,
  ) =>
    envelope('MemberUpserted', {
      identityId: identityOf(d.memberId),
      firstName: `First${d.memberId}`,
      lastName: `Last${d.memberId}`,
      ...d,
    }),
  memberPictureUpdated: (memberId: number, imageContentBase64: string | null, version: number) =>
    envelope('MemberPictureUpdated', { memberId, imageContentBase64, version }),
  memberDeleted: (memberId: number, version: number) => envelope('MemberDeleted', { memberId, version }),
  entityLinked: (entityType: string, entityId: number, contactGroupId: number, version: number) =>
    envelope('EntityLinked', { entityType, entityId, contactGroupId, version }),
  entityUnlinked: (entityType: string, entityId: number, version: number) => envelope('EntityUnlinked', { entityType, entityId, version }),
};

/** A stable identity uuid per member id (tests may pass their own). */
export function identityOf(memberId: number): string {
  return `00000000-0000-4000-8000-${String(memberId).padStart(12, '0')}`;
}

/** A stable contact uid per label. */
export function uidOf(n: number): string {
  return `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
