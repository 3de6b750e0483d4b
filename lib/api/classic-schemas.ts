// The service's schemas (zod/mini, lib/schemas/zod.ts) as classic zod schemas, for the OpenAPI generator, which reads
// schemas through classic zod's methods. Each node becomes the classic class of the same name (ZodMiniObject →
// ZodObject) built from the same definition, with the same metadata, so the generator sees what it would have seen had
// the schema been written with classic zod. Only the document's generation (`npm run generate`) and the tests load this and
// classic zod: no function bundles them (the docs function serves the generated document).
import {
  globalRegistry,
  ZodArray, ZodBoolean, ZodCustom, ZodDefault, ZodEnum, ZodISODateTime, ZodLiteral, ZodNever, ZodNullable, ZodNumber, ZodNumberFormat,
  ZodObject, ZodOptional, ZodPipe, ZodRecord, ZodString, ZodTransform, ZodUnion, ZodUnknown, ZodUUID,
  type ZodType,
} from 'zod';
import type { $ZodType } from 'zod/v4/core';

const converted = new WeakMap<object, ZodType>();
/**
 * The classic class of each zod/mini class the service's schemas use, named one by one (a lookup in the whole `zod`
 * namespace would bundle all of classic zod, its locales included, into the docs function). A schema of another class
 * fails the document's generation, hence the OpenAPI tests: add its class here.
 */
const CLASSES: Record<string, new (def: never) => ZodType> = {
  ZodArray, ZodBoolean, ZodCustom, ZodDefault, ZodEnum, ZodISODateTime, ZodLiteral, ZodNever, ZodNullable, ZodNumber, ZodNumberFormat,
  ZodObject, ZodOptional, ZodPipe, ZodRecord, ZodString, ZodTransform, ZodUnion, ZodUnknown, ZodUUID,
};

const isSchema = (value: unknown): value is $ZodType => typeof value === 'object' && value !== null && '_zod' in value;

/** A definition with every schema in it converted (a check keeps its own instance: checks are the same in both builds). */
function convertDefinition(def: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(def)) {
    if (key === 'checks') out[key] = value;
    else if (isSchema(value)) out[key] = toClassic(value);
    else if (Array.isArray(value) && value.some(isSchema)) out[key] = value.map((v) => (isSchema(v) ? toClassic(v) : v));
    else if (key === 'shape' && value && typeof value === 'object') out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toClassic(v as $ZodType)]));
    else out[key] = value;
  }
  return out;
}

export function toClassic(schema: $ZodType): ZodType {
  const done = converted.get(schema);
  if (done) return done;
  const name = schema._zod.constr.name;
  if (!name.startsWith('ZodMini')) return schema as unknown as ZodType; // classic already (tests build some)
  const Class = CLASSES[name.replace(/^ZodMini/, 'Zod')];
  if (!Class) throw new Error(`no classic zod class for ${name}`);
  const classic = new Class(convertDefinition(schema._zod.def as unknown as Record<string, unknown>) as never);
  // A copy made to carry metadata (withMeta, classic zod's .meta()) knows the schema it was copied from; the generator
  // reads that link (a schema with a parent and an `id` becomes a $ref component), so the classic copy keeps it too.
  const parent = schema._zod.parent;
  if (parent) classic._zod.parent = toClassic(parent);
  const metadata = globalRegistry.get(schema);
  if (metadata) globalRegistry.add(classic, metadata);
  converted.set(schema, classic);
  return classic;
}
