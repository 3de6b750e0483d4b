// Validates HTTP responses against the OpenAPI document: the status is documented for the operation, every header the
// document marks required is present, and the body is valid against the documented schema (ajv, JSON Schema 2020-12,
// the dialect of OpenAPI 3.1). test/support/setup.ts runs it on every response a test receives from a local server.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { buildOpenApiDocument } from '../../lib/api/openapi.js';

// ajv-formats is CommonJS with a default export; under NodeNext its typings do not say which shape arrives.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, any>;

export interface Exchange {
  method: string;
  /** The request path, without query string. */
  path: string;
  status: number;
  headers: Headers;
  /** The response body as text ('' when none). */
  body: string;
}

export interface Verdict {
  /** `${METHOD} ${template}` of the documented operation, or undefined when the request matched none. */
  operation?: string;
  problems: string[];
}

interface CompiledOperation {
  key: string;
  method: string;
  regex: RegExp;
  staticSegments: number;
  pointer: string;
  operation: Json;
}

const escapeJsonPointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class OpenApiValidator {
  readonly document: Json;
  private readonly ajv: Ajv2020;
  private readonly operations: CompiledOperation[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: Json = buildOpenApiDocument() as unknown as Json) {
    this.document = document;
    // OpenAPI's own schema keywords (example, discriminator, …) are not JSON Schema: not strict.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addSchema({ ...document, $id: 'openapi.json' } as never);
    this.operations = [];
    for (const [template, item] of Object.entries(document.paths as Json)) {
      const segments = template.split('/').filter(Boolean);
      const pattern = segments.map((s) => (/^\{\w+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
      for (const [method, operation] of Object.entries(item as Json)) {
        this.operations.push({
          key: `${method.toUpperCase()} ${template}`,
          method: method.toUpperCase(),
          regex: new RegExp(`^/${pattern}/?$`),
          staticSegments: segments.filter((s) => !s.startsWith('{')).length,
          pointer: `#/paths/${escapeJsonPointer(template)}/${method}`,
          operation: operation as Json,
        });
      }
    }
    // As API Gateway routes: the most literal template wins.
    this.operations.sort((a, b) => b.staticSegments - a.staticSegments);
  }

  /** The documented operation a request reaches, if any. */
  operationOf(method: string, path: string): CompiledOperation | undefined {
    return this.operations.find((o) => o.method === method.toUpperCase() && o.regex.test(path));
  }

  private resolve(value: Json): Json {
    let current = value;
    for (let i = 0; current && typeof current.$ref === 'string' && i < 10; i++) {
      current = current.$ref
        .slice(2)
        .split('/')
        .map((p: string) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((node: Json, key: string) => node?.[key], this.document);
    }
    return current;
  }

  private validator(pointer: string): ValidateFunction {
    let fn = this.validators.get(pointer);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `openapi.json${pointer}` });
      this.validators.set(pointer, fn);
    }
    return fn;
  }

  check(exchange: Exchange): Verdict {
    const op = this.operationOf(exchange.method, exchange.path);
    if (!op) return { problems: [] };
    const problems: string[] = [];
    const where = `${op.key} → ${exchange.status}`;
    const response = op.operation.responses?.[String(exchange.status)];
    if (!response) return { operation: op.key, problems: [`${where}: status not documented (documented: ${Object.keys(op.operation.responses ?? {}).join(', ')})`] };
    const resolved = this.resolve(response);

    for (const [name, header] of Object.entries((resolved.headers ?? {}) as Json)) {
      const h = this.resolve(header as Json);
      const value = exchange.headers.get(name);
      if (h.required && value === null) problems.push(`${where}: required header ${name} is missing`);
      if (value !== null && h.schema) {
        const schema = this.resolve(h.schema);
        const typed = schema.type === 'integer' ? Number(value) : value;
        if (!this.ajv.validate({ ...schema, example: undefined }, typed)) problems.push(`${where}: header ${name}=${value} ${this.ajv.errorsText()}`);
      }
    }

    const content = resolved.content as Json | undefined;
    if (!content) {
      if (exchange.body !== '') problems.push(`${where}: a body where none is documented`);
      return { operation: op.key, problems };
    }
    const contentType = (exchange.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const mediaTypes = Object.keys(content);
    const mediaType = mediaTypes.find((m) => m === contentType);
    if (!mediaType) return { operation: op.key, problems: [...problems, `${where}: content-type "${contentType}" not documented (${mediaTypes.join(', ')})`] };
    let value: unknown = exchange.body;
    if (/json$/.test(mediaType)) {
      try {
        value = JSON.parse(exchange.body);
      } catch {
        return { operation: op.key, problems: [...problems, `${where}: body is not JSON`] };
      }
    }
    const pointer = `${op.pointer}/responses/${exchange.status}/content/${escapeJsonPointer(mediaType)}/schema`;
    const validate = this.validator(pointer.replace(/^#/, '#'));
    if (!validate(value)) {
      problems.push(`${where}: body does not match the schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}\n${exchange.body.slice(0, 500)}`);
    }
    return { operation: op.key, problems };
  }
}
