/**
 * Text that can be written into XML. XML 1.0 allows tab, LF, CR and everything from U+0020 up, except the
 * surrogate code points and U+FFFE/U+FFFF (the `Char` production). Any other character makes the rFE (or
 * HKA's `documento`, which HKA turns into one) not well-formed; a lone surrogate cannot even be encoded
 * as UTF-8 and would silently become U+FFFD on the way out. Every free text of a document is refused with
 * this rule before anything is built, and the XML writers check it again (`assertXmlText`).
 */
import * as z from 'zod';

/**
 * In `u` mode a well-formed surrogate pair is one astral code point, so `[\uD800-\uDFFF]` matches only a
 * lone surrogate: the class is exactly the characters XML 1.0 forbids.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this pattern finds
export const XML_FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u;

export type ForbiddenCharacter = { codePoint: string; position: number };

/** The first character XML cannot carry (`U+0001`, 1-based position in code units), or undefined. */
export function firstXmlForbiddenCharacter(text: string): ForbiddenCharacter | undefined {
  const match = XML_FORBIDDEN_CHARACTER.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!;
  return { codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, position: match.index + 1 };
}

export function describeForbiddenCharacter(found: ForbiddenCharacter): string {
  return `contains a character that XML does not allow (${found.codePoint} at position ${found.position})`;
}

/** An XML writer was handed text XML cannot carry: a bug upstream, never written out. */
export class XmlCharacterError extends Error {
  override readonly name = 'XmlCharacterError';
}

/** Defence of the XML writers: refuses (throws) instead of writing a document that is not well-formed. */
export function assertXmlText(text: string, element: string): string {
  const found = firstXmlForbiddenCharacter(text);
  if (found) throw new XmlCharacterError(`${element} ${describeForbiddenCharacter(found)}`);
  return text;
}

type TextOptions = { min?: number; max: number; trim?: boolean };

/**
 * A free-text field of the document model: trimmed when asked, bounded (the DGI XSD / HKA lengths), and
 * XML-safe. Lengths count UTF-16 code units, as .NET (HKA's and the DGI's stack) counts string length.
 */
export function xmlSafeText({ min, max, trim = false }: TextOptions) {
  let schema = z.string();
  if (trim) schema = schema.trim();
  if (min !== undefined) schema = schema.min(min);
  return schema.max(max).check((ctx) => {
    const found = firstXmlForbiddenCharacter(ctx.value);
    if (found)
      ctx.issues.push({ code: 'custom', input: ctx.value, message: describeForbiddenCharacter(found) });
  });
}
