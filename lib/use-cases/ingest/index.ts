// Applies inbound events (SPEC 6): parse, dispatch by detail-type, report applied / ignored / rejected.
import type { Db } from '../../store/client.js';
import { parseInboundEvent, type InboundEvent, type IngestResult } from '../../events/inbound.js';
import { applyContactDeleted, applyContactUpserted } from './contacts.js';
import { applyMemberUpserted } from './member-upserted.js';
import { applyMemberDeleted } from './member-deleted.js';
import { applyMemberPictureUpdated } from './pictures.js';
import { applyEntityLinked, applyEntityUnlinked } from './entities.js';
import type { Outcome } from './outcome.js';
import { runWithCorrelation } from '../../observability/correlation.js';

export type { IngestResult };

function dispatch(db: Db, event: InboundEvent, now: string): Promise<Outcome> {
  switch (event.detailType) {
    case 'ContactUpserted':
      return applyContactUpserted(db, event.detail, now);
    case 'ContactDeleted':
      return applyContactDeleted(db, event.detail, now);
    case 'MemberUpserted':
      return applyMemberUpserted(db, event.detail, now);
    case 'MemberPictureUpdated':
      return applyMemberPictureUpdated(db, event.detail);
    case 'MemberDeleted':
      return applyMemberDeleted(db, event.detail, now);
    case 'EntityLinked':
      return applyEntityLinked(db, event.detail);
    case 'EntityUnlinked':
      return applyEntityUnlinked(db, event.detail);
  }
}

/**
 * One raw event → its result. Rejections (can never apply as sent) are results; transient failures throw, so
 * the transport retries them (SQS redelivery, then the DLQ).
 */
export async function ingestEvent(db: Db, raw: unknown, fallbackId: string, now = new Date().toISOString()): Promise<IngestResult> {
  const parsed = parseInboundEvent(raw, fallbackId);
  if (!('event' in parsed)) return { id: parsed.id, status: 'rejected', reason: parsed.reason };
  // The event id is the correlation id of everything the event writes.
  const outcome = await runWithCorrelation(parsed.event.id, () => dispatch(db, parsed.event, now));
  return { id: parsed.event.id, ...outcome };
}
