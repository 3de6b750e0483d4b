// The correlation id of the work in progress (an HTTP request or an inbound event), for logs and for the items it
// writes: the stream publisher copies it into every outbound event.
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<{ correlationId: string }>();

/** Sets the correlation id for the rest of the current async flow (middy middlewares cannot wrap the handler). */
export function enterCorrelation(correlationId: string): void {
  storage.enterWith({ correlationId });
}

export function runWithCorrelation<T>(correlationId: string, work: () => Promise<T>): Promise<T> {
  return storage.run({ correlationId }, work);
}

export const currentCorrelationId = (): string | undefined => storage.getStore()?.correlationId;
