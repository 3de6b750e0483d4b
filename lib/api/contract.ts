// Endpoint contracts: method, path, scope and the zod schemas that validate requests and document the API.
import type * as z from 'zod';
import type { Scope } from '../domain/caller.js';
import type { ErrorCode, SubCode } from '../domain/errors.js';

/** The error body an endpoint answers with: the DFS body, or the Dezrez body (SPEC 5). */
export type ErrorStyle = 'dfs' | 'dezrez';

export type FunctionGroup = 'contact-access' | 'contact-group-access' | 'contact-groups' | 'contact-relatives' | 'docs';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Endpoint {
  /** The Lambda (endpoint group) serving it. */
  readonly fn: FunctionGroup;
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. `/v1.0/contacts/{contactId}/member-profiles`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** Scope every caller needs; null for the public documentation routes. */
  readonly scope: Scope | null;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly headers?: z.ZodType;
  readonly body?: z.ZodType;
  readonly success: {
    readonly status: 200 | 201 | 204;
    readonly description: string;
    readonly schema?: z.ZodType;
    /** Response headers always present on success (name → description), besides x-correlation-id and Content-Language. */
    readonly headers?: Readonly<Record<string, string>>;
    readonly contentType?: string;
  };
  /** The error body of this endpoint (DFS by default). Which errors it answers is derived from the code, not listed here. */
  readonly errorStyle?: ErrorStyle;
  /** Examples where the body schema carries none of its own (`.meta({ example })`). */
  readonly example?: { readonly request?: unknown; readonly response?: unknown };
}

/** SubCodes by code, as lib/api/raised-sub-codes.generated.ts records what the code can raise. */
export type RaisedSubCodes = { readonly [C in ErrorCode]?: readonly SubCode<C>[] };

export const endpoint = <const E extends Endpoint>(e: E): E => e;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
export type ParamsOf<E extends Endpoint> = Out<E['params']>;
export type QueryOf<E extends Endpoint> = Out<E['query']>;
export type HeadersOf<E extends Endpoint> = Out<E['headers']>;
export type BodyOf<E extends Endpoint> = Out<E['body']>;
export type ResponseOf<E extends Endpoint> = E['success']['schema'] extends z.ZodType ? z.input<E['success']['schema']> : undefined;
