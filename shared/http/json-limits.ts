/**
 * What a JSON request body may be, checked on the raw text before anything parses or walks it.
 *
 * Size: the largest real document, 1,000 items with every field at its XSD maximum and 500-character
 * descriptions, is 1.19 MB as compact JSON and 1.54 MB pretty-printed; 2 MiB fits it with room and keeps
 * one request's parsing and validation bounded (Lambda itself would take up to 6 MB).
 * Depth: a real document nests 5 levels (document → items → item → gtin → field); 64 leaves room for
 * any honest client and keeps every recursive walk of the parsed value (zod, hashing) shallow.
 */

export const MAX_BODY_BYTES = 2 * 1024 * 1024;
export const MAX_JSON_DEPTH = 64;

/** UTF-8 size of the body, stopping early: a string longer than the limit is over it whatever it holds. */
export function exceedsBodyLimit(text: string, limit: number = MAX_BODY_BYTES): boolean {
  return text.length > limit || Buffer.byteLength(text, 'utf8') > limit;
}

/**
 * The deepest nesting of arrays and objects in a JSON text, found by one pass over its characters (no
 * recursion, no parse): brackets inside strings do not count. Stops as soon as `limit` is passed. Text
 * that is not JSON gets some number; JSON.parse refuses it afterwards.
 */
export function jsonDepthExceeds(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Whether a `Content-Type` names JSON: `application/json` or a structured `application/<x>+json`, with
 * parameters allowed but a charset only if it is UTF-8 (RFC 8259: JSON exchanged between systems is
 * UTF-8, and the body is decoded as UTF-8).
 */
export function isJsonMediaType(contentType: string): boolean {
  const [essence = '', ...parameters] = contentType.split(';');
  const type = essence.trim().toLowerCase();
  const structured = type.startsWith('application/') && type.endsWith('+json') && isToken(type.slice(12, -5));
  if (type !== 'application/json' && !structured) return false;
  return parameters.every((parameter) => {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() !== 'charset') return true;
    return (
      value
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase() === 'utf-8'
    );
  });
}

/** An RFC 7230 token (the subtype part before `+json`). */
function isToken(text: string): boolean {
  return text.length > 0 && /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(text);
}
