// Opaque, signed page cursors (SPEC 5.6): the last key read, bound to the caller, the subject and the path it was
// issued for. Tampered with, truncated or used for another caller, subject or path → 400 InvalidCursor.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from '../domain/errors.js';

export interface CursorBinding {
  callerType: string;
  callerSubject: string;
  subject: string;
  path: string;
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const bindingOf = (b: CursorBinding) => `${b.callerType}\n${b.callerSubject}\n${b.subject}\n${b.path}`;
const mac = (secret: string, payload: string, binding: CursorBinding) =>
  createHmac('sha256', secret).update(payload).update('\n').update(bindingOf(binding)).digest();

/** `<payload>.<signature>`, both base64url; the payload is the last key read. */
export function encodeCursor(secret: string, binding: CursorBinding, lastKey: Record<string, unknown>): string {
  const payload = b64(JSON.stringify(lastKey));
  return `${payload}.${b64(mac(secret, payload, binding))}`;
}

export function decodeCursor(secret: string, binding: CursorBinding, cursor: string): Record<string, string> {
  const invalid = () => new BadRequestError('InvalidCursor', { cursor: 'not a cursor issued for this caller, subject and path' });
  const [payload, signature, ...rest] = cursor.split('.');
  if (!payload || !signature || rest.length > 0) throw invalid();
  const expected = mac(secret, payload, binding);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  try {
    const key = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (!key || typeof key !== 'object' || Array.isArray(key)) throw invalid();
    const entries = Object.entries(key as Record<string, unknown>);
    if (entries.some(([, v]) => typeof v !== 'string')) throw invalid();
    return Object.fromEntries(entries) as Record<string, string>;
  } catch {
    throw invalid();
  }
}
