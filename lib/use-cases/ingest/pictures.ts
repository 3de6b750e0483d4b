// MemberPictureUpdated: validated image stored beside the member (own version sequence), or removed on null.
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { getItem } from '../../store/reads.js';
import { putAction, retryOnConflict, transact, updateAction } from '../../store/transactions.js';
import type { MemberPictureItem } from '../../store/items.js';
import { getMember, isLive, nextHlc, revOf } from '../../store/members.js';
import { checkPicture } from '../../domain/images.js';
import type { memberPictureUpdated } from '../../events/inbound.js';
import { applied, rejected, stale, type Outcome } from './outcome.js';

export async function applyMemberPictureUpdated(db: Db, e: z.infer<typeof memberPictureUpdated>): Promise<Outcome> {
  let image: { bytes: Uint8Array; contentType: string } | undefined;
  if (e.imageContentBase64 !== null) {
    const check = checkPicture(e.imageContentBase64);
    if (!check.ok) return rejected(check.reason);
    image = check;
  }
  return retryOnConflict(async () => {
    const [member, picture] = await Promise.all([
      getMember(db, e.memberId),
      getItem<MemberPictureItem>(db, keys.memberPicture(e.memberId)),
    ]);
    if (!isLive(member)) return rejected(`unknown member ${e.memberId}`);
    if (picture && picture.version >= e.version) return stale(picture.version, e.version);
    const item: MemberPictureItem = {
      ...keys.memberPicture(e.memberId),
      sk: 'PICTURE',
      type: 'MemberPicture',
      memberId: e.memberId,
      ...(image && { image: image.bytes, contentType: image.contentType }),
      version: e.version,
    };
    await transact(db, [
      putAction(item, cond.versionIs(picture?.version)),
      updateAction(keys.member(e.memberId), {
        set: [[['hasPicture'], image !== undefined], [['hlc'], nextHlc(member)]],
        increment: [[['rev'], 1]],
        condition: cond.revIs(revOf(member)),
      }),
    ]);
    return applied();
  });
}
