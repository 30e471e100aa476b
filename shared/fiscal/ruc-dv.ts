/**
 * DGI check digits ("dígito verificador", DV) of a RUC — algorithm of
 * `Calculo_Digito_Verificador_RUC.pdf` (DGI, v201805), as summarized in §7.2 of the domain brief.
 *
 * The DV depends on the declared RUC type: the same string can give different DVs as natural (1) and
 * juridical (2) person, so the type is always an input.
 */

export class RucFormatError extends Error {
  override readonly name = 'RucFormatError';
  readonly code = 'RUC_FORMAT';
  constructor(
    readonly ruc: string,
    reason: string,
  ) {
    super(`RUC "${ruc}" ${reason}`);
  }
}

const padLeft = (digits: string, width: number) => digits.padStart(width, '0');

/** Letter codes of the DGI rule "replace each letter by digits" (E/N/PE: province field `00`). */
const foreignCodes = { E: '50', N: '40', PE: '75' } as const;
/** For a 4-digit tomo the DGI layout uses a prefix and a short code (brief §7.2, unconfirmed for N/PE). */
const foreignLongTomo = {
  E: { prefix: '66', short: '5' },
  N: { prefix: '92', short: '4' },
  PE: { prefix: '82', short: '75' },
} as const;
const markerCodes = { PI: '79', AV: '15' } as const;

/** Cross-reference table for old-format juridical RUCs (pair at positions 6–7 of W). */
const oldFormatPairs: Record<string, string> = (() => {
  const table: Record<string, string> = { '00': '00' };
  const firstRow = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '01', '02', '03', '04', '07'];
  for (let i = 0; i < firstRow.length; i++) table[String(10 + i)] = firstRow[i] as string;
  const secondRow = ['08', '09', '02', '03', '04', '05', '06', '07', '08', '09'];
  for (let i = 0; i < secondRow.length; i++) table[String(24 + i)] = secondRow[i] as string;
  for (let n = 34; n <= 42; n++) table[String(n)] = padLeft(String(n - 33), 2);
  for (let n = 43; n <= 49; n++) table[String(n)] = padLeft(String(n - 42), 2);
  return table;
})();

/** Asiento contribution: padded to 5; longer asientos contribute their first 5 digits. */
function asiento5(asiento: string): string {
  return asiento.length <= 5 ? padLeft(asiento, 5) : asiento.slice(0, 5);
}

type WorkingString = { digits: string; oldFormat: boolean };

function workingString(rawRuc: string, rucType: '1' | '2'): WorkingString {
  const ruc = rawRuc.trim().toUpperCase();
  const natural = rucType === '1';
  let match: RegExpExecArray | null;

  // Número tributario: P-NT-FOLIO-ASIENTO, natural or juridical.
  match = /^(\d{1,2})-NT-(\d{1,3})-(\d{1,7})$/.exec(ruc);
  if (match) {
    const [, province, folio, asiento] = match as unknown as [string, string, string, string];
    const asientoPart =
      asiento.length <= 5 ? padLeft(asiento, 5) : asiento.length === 6 ? asiento : asiento.slice(0, 5);
    return {
      digits: `${natural ? '5' : ''}${padLeft(province, 2)}43${padLeft(folio, 3)}${asientoPart}`,
      oldFormat: false,
    };
  }

  // Foreigner (E), naturalized (N), Panamanian born abroad (PE): natural persons only.
  match = /^(PE|E|N)-(\d{1,4})-(\d{1,6})$/.exec(ruc);
  if (match) {
    const [, kind, tomo, asiento] = match as unknown as [string, 'PE' | 'E' | 'N', string, string];
    if (!natural)
      throw new RucFormatError(rawRuc, `is a natural-person form (${kind}-) but was declared juridical`);
    if (tomo.length <= 3) {
      const asientoPart =
        (kind === 'E' || kind === 'N') && asiento.length === 6 ? asiento : asiento5(asiento);
      return { digits: `500${foreignCodes[kind]}${padLeft(tomo, 3)}${asientoPart}`, oldFormat: false };
    }
    const { prefix, short } = foreignLongTomo[kind];
    if (asiento.length === 6)
      return { digits: `5${prefix}${foreignCodes[kind]}${tomo}${asiento}`, oldFormat: false };
    return { digits: `5${prefix}${short}${tomo}${padLeft(asiento, 5)}`, oldFormat: false };
  }

  // Panamanian indigenous (PI) and "antes de la vigencia" (AV): <P>PI-TOMO-ASIENTO or <P>-PI-TOMO-ASIENTO.
  match = /^(\d{1,2})-?(PI|AV)-(\d{1,4})-(\d{1,9})$/.exec(ruc);
  if (match) {
    const [, province, kind, tomo, asiento] = match as unknown as [
      string,
      string,
      'PI' | 'AV',
      string,
      string,
    ];
    if (!natural)
      throw new RucFormatError(rawRuc, `is a natural-person form (${kind}) but was declared juridical`);
    if (tomo.length <= 3) {
      return {
        digits: `5${padLeft(province, 2)}${markerCodes[kind]}${padLeft(tomo, 3)}${asiento5(asiento)}`,
        oldFormat: false,
      };
    }
    return { digits: `59595${tomo}${asiento5(asiento)}`, oldFormat: false };
  }

  match = /^(\d+)-(\d+)-(\d+)$/.exec(ruc);
  if (match) {
    const [, first, second, third] = match as unknown as [string, string, string, string];
    if (natural) {
      // Cédula: PROVINCE-TOMO-ASIENTO.
      if (first.length > 2 || second.length > 4) {
        throw new RucFormatError(rawRuc, 'is not a valid cédula (province ≤ 2 digits, tomo ≤ 4 digits)');
      }
      const tomo = second.length === 4 ? second : padLeft(second, 3);
      return { digits: `5${padLeft(first, 2)}00${tomo}${asiento5(third)}`, oldFormat: false };
    }
    // Juridical: TOMO/ROLLO-FOLIO/IMAGEN-ASIENTO/FICHA.
    if (first.length > 10 || second.length > 4 || third.length > 6) {
      throw new RucFormatError(
        rawRuc,
        'is not a valid juridical RUC (tomo ≤ 10, folio ≤ 4, asiento ≤ 6 digits)',
      );
    }
    let digits = `${padLeft(first, 10)}${padLeft(second, 4)}${padLeft(third, 6)}`;
    // Old format: positions 4 and 5 are zero and position 6 is below 5 (1-based).
    const oldFormat = digits[3] === '0' && digits[4] === '0' && (digits[5] as string) < '5';
    if (oldFormat) {
      const pair = digits.slice(5, 7);
      const replacement = oldFormatPairs[pair];
      if (replacement !== undefined) digits = digits.slice(0, 5) + replacement + digits.slice(7);
    }
    return { digits, oldFormat };
  }

  throw new RucFormatError(rawRuc, 'does not match any RUC form known to the DGI algorithm');
}

/**
 * Weighted mod-11 digit: weights 2, 3, 4… from the rightmost digit; old-format RUCs use weight 11 twice.
 */
function checkDigit(digits: string, oldFormat: boolean): string {
  let total = 0;
  let weight = 2;
  let elevenUsed = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    total += Number(digits[i]) * weight;
    if (oldFormat && weight === 11 && !elevenUsed) {
      elevenUsed = true;
    } else {
      weight++;
    }
  }
  const remainder = total % 11;
  return remainder <= 1 ? '0' : String(11 - remainder);
}

/** The 20-digit working string W (exported for tests and diagnostics). */
export function rucWorkingString(ruc: string, rucType: '1' | '2'): string {
  const { digits } = workingString(ruc, rucType);
  if (digits.length > 20) throw new RucFormatError(ruc, 'is too long for the DGI algorithm');
  return padLeft(digits, 20);
}

/** The two DV digits of a RUC for the declared type. Throws RucFormatError for unknown forms. */
export function computeRucDv(ruc: string, rucType: '1' | '2'): string {
  const { oldFormat } = workingString(ruc, rucType);
  const w = rucWorkingString(ruc, rucType);
  const first = checkDigit(w, oldFormat);
  const second = checkDigit(w + first, oldFormat);
  return first + second;
}

/** Convenience for validators: does `dv` match? (false for RUCs the algorithm cannot read) */
export function isValidRucDv(ruc: string, rucType: '1' | '2', dv: string): boolean {
  try {
    return computeRucDv(ruc, rucType) === dv;
  } catch (error) {
    if (error instanceof RucFormatError) return false;
    throw error;
  }
}
