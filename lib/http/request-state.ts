// Per-request state shared by the middlewares and the route adapters, keyed by the event object.
import type { Caller } from '../domain/caller.js';
import type { Language } from '../i18n/languages.js';

import type { ErrorStyle } from '../api/contract.js';

export type { ErrorStyle };

export interface RequestState {
  correlationId: string;
  lang: Language;
  caller?: Caller;
  errorStyle: ErrorStyle;
  startedAt: number;
}

const states = new WeakMap<object, RequestState>();

export function stateOf(event: object): RequestState {
  let state = states.get(event);
  if (!state) {
    state = { correlationId: '', lang: 'en', errorStyle: 'dfs', startedAt: Date.now() };
    states.set(event, state);
  }
  return state;
}
