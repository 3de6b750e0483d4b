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
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorProperties = Record<string, unknown>;

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
}
/** 401: no usable identity (missing/invalid token, malformed claims). */
export class UnauthorizedError extends DomainError {
  readonly code = 'Unauthorized' as const;
}
/** 403: identified, but not allowed (missing scope, no access to the object). */
export class ForbiddenError extends DomainError {
  readonly code = 'Forbidden' as const;
}
/** 404: the object named in the path does not exist. */
export class NotFoundError extends DomainError {
  readonly code = 'NotFound' as const;
}
/** 409: a concurrent writer won every retry. */
export class ConflictError extends DomainError {
  readonly code = 'Conflict' as const;
}
/** 412: If-Match does not match the current version. */
export class PreconditionFailedError extends DomainError {
  readonly code = 'PreconditionFailed' as const;
}
/** 422: well-formed, but breaks a rule (unknown referenced id, unknown catalogue value, a group rule). */
export class RuleViolationError extends DomainError {
  readonly code = 'UnprocessableEntity' as const;
}
