/**
 * Puts `documento` keys in HKA's element order and drops empty optionals (brief §11.5: never send `<x/>`;
 * HKA answers "El campo X no debe ser informado" for some). Keys the schema table does not know are kept
 * after the known ones, in the caller's order, so a newer HKA field is never lost silently.
 */
import type { SchemaField } from './documento-schema.ts';

type Plain = { [key: string]: unknown };

const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.every(isEmptyValue);
  if (isPlainObject(value)) return Object.values(value).every(isEmptyValue);
  return false;
}

export function orderBySchema(value: Plain, fields: readonly SchemaField[]): Plain {
  const out: Plain = {};
  const known = new Set<string>();
  for (const field of fields) {
    known.add(field.name);
    const child = value[field.name];
    if (isEmptyValue(child)) continue;
    out[field.name] = normalise(child, field.children);
  }
  for (const [key, child] of Object.entries(value)) {
    if (known.has(key) || isEmptyValue(child)) continue;
    out[key] = normalise(child, undefined);
  }
  return out;
}

function normalise(value: unknown, children: readonly SchemaField[] | undefined): unknown {
  if (Array.isArray(value)) return value.filter((v) => !isEmptyValue(v)).map((v) => normalise(v, children));
  if (isPlainObject(value)) return orderBySchema(value, children ?? []);
  return typeof value === 'number' ? String(value) : value;
}
