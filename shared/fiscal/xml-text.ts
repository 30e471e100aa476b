/**
 * xmlbuilder2's `txt()` escapes `<` and `>` but leaves `&` alone when it starts something that looks like
 * an entity reference (`&amp;`, `&T;`), so a literal "&amp;" in data would be read back as "&" and
 * "AT&T;" would produce an undefined entity. Escaping `&` first makes every text round-trip exactly.
 */
export function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;');
}
