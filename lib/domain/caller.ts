// The typed caller built from JWT claims (SPEC 3), and the scope rules.
import * as z from 'zod';
import { UnauthorizedError, ForbiddenError } from './errors.js';
import { INT32_MAX } from './ids.js';

export const SCOPES = ['crs.read', 'crs.write', 'crs.admin'] as const;
export type Scope = (typeof SCOPES)[number];

interface CallerBase {
  /** `sub`: identity id (members, contacts) or client id (applications). */
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
}
export interface ApplicationCaller extends CallerBase {
  readonly type: 'application';
  readonly participantUid?: string;
}
export interface MemberCaller extends CallerBase {
  readonly type: 'member';
  readonly memberId: number;
  readonly participantUid?: string;
}
export interface ContactCaller extends CallerBase {
  readonly type: 'contact';
  readonly contactId: number;
}
export type Caller = ApplicationCaller | MemberCaller | ContactCaller;

/** Positive int32, as a number or a numeric string (API Gateway hands JWT claims over as strings). */
export const positiveInt32 = z.coerce
  .number()
  .int()
  .min(1)
  .max(INT32_MAX);

const uuid = z.uuid();

const claimsSchema = z.object({
  sub: z.string().min(1).max(256),
  caller_type: z.enum(['application', 'member', 'contact']),
  participant_uid: uuid.optional(),
  member_id: z.union([z.string(), z.number()]).optional(),
  contact_id: z.union([z.string(), z.number()]).optional(),
  scope: z.string().max(2048).default(''),
});

/** Claims → Caller, or 401 InvalidClaims. Member and contact identities must be uuids with their int id. */
export function callerFromClaims(claims: unknown): Caller {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) throw new UnauthorizedError('InvalidClaims');
  const c = parsed.data;
  const scopes = new Set(c.scope.split(/\s+/).filter(Boolean));
  switch (c.caller_type) {
    case 'application':
      return { type: 'application', subject: c.sub, scopes, ...(c.participant_uid && { participantUid: c.participant_uid.toLowerCase() }) };
    case 'member': {
      const memberId = positiveInt32.safeParse(c.member_id);
      if (!memberId.success || !uuid.safeParse(c.sub).success) throw new UnauthorizedError('InvalidClaims');
      return {
        type: 'member',
        subject: c.sub.toLowerCase(),
        memberId: memberId.data,
        scopes,
        ...(c.participant_uid && { participantUid: c.participant_uid.toLowerCase() }),
      };
    }
    case 'contact': {
      const contactId = positiveInt32.safeParse(c.contact_id);
      if (!contactId.success) throw new UnauthorizedError('InvalidClaims');
      return { type: 'contact', subject: c.sub, contactId: contactId.data, scopes };
    }
  }
}

export const isAdmin = (caller: Caller) => caller.scopes.has('crs.admin');

/** Missing scope → 403 MissingScope. `crs.admin` does not imply read/write: scopes are granted explicitly. */
export function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.has(scope)) throw new ForbiddenError('MissingScope', { scope });
}

/** Contacts never write (SPEC 5.1); every other writer needs crs.write. */
export function requireWriter(caller: Caller): void {
  requireScope(caller, 'crs.write');
  if (caller.type === 'contact') throw new ForbiddenError('ContactCannotWrite');
}
