// Domain errors: small named classes carrying the DFS error code and the rule's subCode. One mapper turns them into HTTP.

export const ERROR_STATUS = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PreconditionFailed: 412,
  UnprocessableEntity: 422,
  General: 500,
  ServiceUnavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorProperties = Record<string, unknown>;

/**
 * Every subCode the service may answer, by code: the error classes below accept only these, so a new rule needs its
 * entry here (and messages in lib/i18n). Which operation answers which subCode is derived from the code that raises
 * them (lib/api/raised-sub-codes.generated.ts), not listed by hand.
 */
export const SUB_CODES = {
  BadRequest: ['InvalidBody', 'InvalidJson', 'InvalidPath', 'InvalidQuery', 'InvalidHeader', 'TooManyItems', 'MissingCriterion', 'InvalidCursor'],
  Unauthorized: ['MissingToken', 'InvalidToken', 'InvalidClaims'],
  Forbidden: ['MissingScope', 'ContactCannotWrite', 'NoContactAccess', 'NoGroupAccess', 'SubjectNotAllowed'],
  NotFound: ['RouteNotFound', 'ContactNotFound', 'IdentityNotFound', 'GroupNotFound', 'AdvisorNotFound'],
  Conflict: ['ConcurrentModification', 'IdempotencyInProgress'],
  PreconditionFailed: ['VersionMismatch'],
  UnprocessableEntity: [
    'ContactNotFound', 'MemberNotFound', 'MemberParticipantMismatch', 'DuplicateContact', 'MultiplePrimaryGroupMembers',
    'DuplicateExternalId', 'GroupHasLinkedEntities', 'GroupMustHaveContact', 'GroupFull', 'UnknownRelationshipType',
    'UnknownSystemStatus', 'RelationshipTypeMismatch', 'SelfRelative', 'IdempotencyKeyReused',
  ],
  General: ['NA'],
  ServiceUnavailable: ['NA'],
} as const satisfies Record<ErrorCode, readonly string[]>;

export type SubCode<C extends ErrorCode = ErrorCode> = (typeof SUB_CODES)[C][number];

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    readonly subCode: string,
    readonly properties: ErrorProperties = {},
    message?: string,
  ) {
    super(message ?? subCode);
    this.name = new.target.name;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** 400: the request is malformed (bad JSON, wrong type, bad uuid, too many items, too long). */
export class BadRequestError extends DomainError {
  readonly code = 'BadRequest' as const;
  constructor(subCode: SubCode<'BadRequest'>, properties?: ErrorProperties, message?: string) {
    super(subCode, properties, message);
  }
}
/** 401: no usable identity (missing/invalid token, malformed claims). */
export class UnauthorizedError extends DomainError {
  readonly code = 'Unauthorized' as const;
  constructor(subCode: SubCode<'Unauthorized'>, properties?: ErrorProperties, message?: string) {
    super(subCode, properties, message);
  }
}
/** 403: identified, but not allowed (missing scope, no access to the object). */
export class ForbiddenError extends DomainError {
  readonly code = 'Forbidden' as const;
  constructor(subCode: SubCode<'Forbidden'>, properties?: ErrorProperties, message?: string) {
    super(subCode, properties, message);
  }
}
/** 404: the object named in the path does not exist. */
export class NotFoundError extends DomainError {
  readonly code = 'NotFound' as const;
  constructor(subCode: SubCode<'NotFound'>, properties?: ErrorProperties, message?: string) {
    super(subCode, properties, message);
  }
}
/** 409: a concurrent writer won every retry. */
export class ConflictError extends DomainError {
  readonly code = 'Conflict' as const;
  constructor(subCode: SubCode<'Conflict'>, properties?: ErrorProperties, message?: string) {
    super(subCode, properties, message);
  }
}
/** 412: If-Match does not match the current version. */
export class PreconditionFailedError extends DomainError {
  readonly code = 'PreconditionFailed' as const;
  constructor(subCode: SubCode<'PreconditionFailed'>, properties?: ErrorProperties, message?: string) {
    super(subCode, properties, message);
  }
}
/** 422: well-formed, but breaks a rule (unknown referenced id, unknown catalogue value, a group rule). */
export class RuleViolationError extends DomainError {
  readonly code = 'UnprocessableEntity' as const;
  constructor(subCode: SubCode<'UnprocessableEntity'>, properties?: ErrorProperties, message?: string) {
    super(subCode, properties, message);
  }
}
