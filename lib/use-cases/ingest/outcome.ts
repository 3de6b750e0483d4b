// The outcome of applying one inbound event.
export type Outcome =
  | { status: 'applied'; contactId?: number }
  | { status: 'ignored'; reason: string }
  | { status: 'rejected'; reason: string };

export const applied = (contactId?: number): Outcome =>
  contactId === undefined ? { status: 'applied' } : { status: 'applied', contactId };
export const ignored = (reason: string): Outcome => ({ status: 'ignored', reason });
export const rejected = (reason: string): Outcome => ({ status: 'rejected', reason });
export const stale = (stored: number, received: number) => ignored(`stale: stored version ${stored} >= ${received}`);
