// pdfkit's standard 14 fonts (no embedding, for speed) only encode WinAnsi. Anything else would print
// as garbage, so text is folded to WinAnsi before it is measured and drawn: measurement and drawing must
// see the same characters or wrapped lines would overflow their cells.

// Code points above 0xFF that WinAnsi still has (0x80-0x9F block), as in pdfkit's WIN_ANSI_MAP.
const WIN_ANSI_EXTRA = new Set([
  0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014, 0x2018,
  0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac,
  0x2122,
]);

function isWinAnsi(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    WIN_ANSI_EXTRA.has(codePoint)
  );
}

const LATIN1_PRINTABLE = /^[\x20-\x7E\xA0-\xFF\n]*$/;

/** Folds `text` to printable WinAnsi; keeps '\n' (line breaks are meaningful in free info text). */
export function toWinAnsi(text: string): string {
  // Fast path: nearly every string is already Latin-1 printable (measured and drawn several times each).
  if (LATIN1_PRINTABLE.test(text)) return text;
  let out = '';
  for (const char of text.normalize('NFC')) {
    const codePoint = char.codePointAt(0)!;
    if (char === '\n' || isWinAnsi(codePoint)) {
      out += char;
    } else if (char === '\t' || char === '\r' || codePoint < 0x20) {
      out += char === '\r' ? '' : ' ';
    } else {
      // "ő" → "o": strip combining marks; whatever is still outside WinAnsi becomes "?".
      const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
      out += [...base].every((c) => isWinAnsi(c.codePointAt(0)!)) && base !== '' ? base : '?';
    }
  }
  return out;
}
