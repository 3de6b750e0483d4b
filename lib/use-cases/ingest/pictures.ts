// MemberPictureUpdated: validated image stored beside the member (own version sequence), or removed on null.
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { commit, retryOnConflict } from '../../store/plans.js';
import { getMember, getPicture, isLive, picturePlan } from '../../store/members.js';
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
    const [member, picture] = await Promise.all([getMember(db, e.memberId), getPicture(db, e.memberId)]);
    if (!isLive(member)) return rejected(`unknown member ${e.memberId}`);
    if (picture && picture.version >= e.version) return stale(picture.version, e.version);
    await commit(db, picturePlan(member, picture, image, e.version));
    return applied();
  });
}
