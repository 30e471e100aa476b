/**
 * CUFE (Código Único de Factura Electrónica, = rFE/dId): layout §4.1 and Luhn check digit §4.2 of the
 * domain brief. HKA computes the CUFE on the normal path; we need it to check referenced CUFEs and to
 * emit in contingency.
 */
import { randomInt } from 'node:crypto';

export type CufeFields = {
  /** `iDoc`, 2 digits (01..10). */
  documentType: string;
  /** Issuer `dTipoRuc`. */
  rucType: '1' | '2';
  /** Issuer `dRuc` as written (hyphens kept), ≤ 20 chars. */
  ruc: string;
  /** Issuer `dDV`, 2 digits. */
  dv: string;
  /** `dSucEm`, 4 alphanumerics. */
  branch: string;
  /** Panama local emission date, `YYYYMMDD`. */
  date: string;
  /** `dNroDF`, 10 digits. */
  number: string;
  /** `dPtoFacDF`, 3 digits. */
  pointOfSale: string;
  /** `iTpEmis`, 2 digits. */
  emissionType: string;
  /** `iAmb`, 1 production · 2 test. */
  environment: '1' | '2';
  /** `dSeg`, 9 digits. */
  securityCode: string;
};

export class CufeFieldError extends Error {
  override readonly name = 'CufeFieldError';
  readonly code = 'CUFE_FIELD';
}

/** Each character as one digit: digits stay, anything else is the last digit of its ASCII code. */
function toDigits(body: string): number[] {
  return [...body].map((char) => (/[0-9]/.test(char) ? Number(char) : char.charCodeAt(0) % 10));
}

/** Luhn mod 10 with the rightmost digit doubled (the check digit is appended after it). */
export function cufeCheckDigit(body: string): string {
  const digits = toDigits(body);
  let total = 0;
  let double = true;
  for (let i = digits.length - 1; i >= 0; i--) {
    let value = digits[i] as number;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    total += value;
    double = !double;
  }
  return String((10 - (total % 10)) % 10);
}

const fieldRules: { [K in keyof CufeFields]: [RegExp, string] } = {
  documentType: [/^(0[1-9]|10)$/, '2 digits 01..10'],
  rucType: [/^[12]$/, '1 or 2'],
  ruc: [/^[A-Z0-9-]{5,20}$/, '5..20 letters, digits or hyphens'],
  dv: [/^[0-9]{2}$/, '2 digits'],
  branch: [/^[a-zA-Z0-9]{4}$/, '4 alphanumerics'],
  date: [/^[0-9]{8}$/, 'YYYYMMDD'],
  number: [/^(?!0{10})[0-9]{10}$/, '10 digits, not all zeros'],
  pointOfSale: [/^(?!000)[0-9]{3}$/, '3 digits, not 000'],
  emissionType: [/^0[1-4]$/, '01..04'],
  environment: [/^[12]$/, '1 or 2'],
  securityCode: [/^(?!0{9})[0-9]{9}$/, '9 digits, not all zeros'],
};

/** Builds the 66-character CUFE. Throws CufeFieldError when a field does not fit the layout. */
export function buildCufe(fields: CufeFields): string {
  for (const [key, [pattern, expected]] of Object.entries(fieldRules) as [
    keyof CufeFields,
    [RegExp, string],
  ][]) {
    if (!pattern.test(fields[key])) {
      throw new CufeFieldError(`CUFE field ${key} "${fields[key]}" must be ${expected}`);
    }
  }
  const body =
    fields.documentType +
    fields.rucType +
    fields.ruc.padStart(20, '0') +
    `-${fields.dv}` +
    fields.branch +
    fields.date +
    fields.number +
    fields.pointOfSale +
    fields.emissionType +
    fields.environment +
    fields.securityCode;
  return `FE${body}${cufeCheckDigit(body)}`;
}

export type ParsedCufe = CufeFields & { checkDigit: string };

/** Splits a CUFE into its fields by position (no validation; see checkCufe). */
export function parseCufe(cufe: string): ParsedCufe {
  const body = cufe.slice(2);
  return {
    documentType: body.slice(0, 2),
    rucType: body.slice(2, 3) as '1' | '2',
    ruc: body.slice(3, 23).replace(/^0+(?=.)/, ''),
    dv: body.slice(24, 26),
    branch: body.slice(26, 30),
    date: body.slice(30, 38),
    number: body.slice(38, 48),
    pointOfSale: body.slice(48, 51),
    emissionType: body.slice(51, 53),
    environment: body.slice(53, 54) as '1' | '2',
    securityCode: body.slice(54, 63),
    checkDigit: body.slice(63, 64),
  };
}

function isCompactDate(date: string): boolean {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(4, 6));
  const d = Number(date.slice(6, 8));
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d;
}

/** Checks the layout and the check digit of a CUFE. */
export function checkCufe(cufe: string): { valid: true } | { valid: false; reason: string } {
  if (cufe.length !== 66) return { valid: false, reason: `must be 66 characters, got ${cufe.length}` };
  if (!cufe.startsWith('FE')) return { valid: false, reason: 'must start with "FE"' };
  if (!/^FE[A-Z0-9-]{64}$/.test(cufe)) {
    return { valid: false, reason: 'may only contain upper-case letters, digits and "-" after "FE"' };
  }
  const fields = parseCufe(cufe);
  if (cufe[25] !== '-') return { valid: false, reason: 'position 24 of the body must be "-" before the DV' };
  const checks: [boolean, string][] = [
    [/^(0[1-9]|10)$/.test(fields.documentType), `unknown document type "${fields.documentType}"`],
    [/^[12]$/.test(fields.rucType), `RUC type must be 1 or 2, got "${fields.rucType}"`],
    [/^[0-9]{2}$/.test(fields.dv), `DV must be 2 digits, got "${fields.dv}"`],
    [/^[0-9]{8}$/.test(fields.date) && isCompactDate(fields.date), `invalid emission date "${fields.date}"`],
    [/^(?!0{10})[0-9]{10}$/.test(fields.number), `invalid document number "${fields.number}"`],
    [/^(?!000)[0-9]{3}$/.test(fields.pointOfSale), `invalid point of sale "${fields.pointOfSale}"`],
    [/^0[1-4]$/.test(fields.emissionType), `invalid emission type "${fields.emissionType}"`],
    [/^[12]$/.test(fields.environment), `invalid environment "${fields.environment}"`],
    [/^(?!0{9})[0-9]{9}$/.test(fields.securityCode), `invalid security code "${fields.securityCode}"`],
  ];
  for (const [ok, reason] of checks) if (!ok) return { valid: false, reason };
  const expected = cufeCheckDigit(cufe.slice(2, 65));
  if (fields.checkDigit !== expected) {
    return { valid: false, reason: `check digit is ${fields.checkDigit}, expected ${expected}` };
  }
  return { valid: true };
}

/** A random 9-digit `dSeg` (crypto RNG), never all zeros. */
export function generateSecurityCode(): string {
  // randomInt is uniform over [1, 10^9): zero (all zeros) is excluded by construction.
  return String(randomInt(1, 1_000_000_000)).padStart(9, '0');
}
