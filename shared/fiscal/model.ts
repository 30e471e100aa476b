/**
 * The document input accepted by the API: friendly English names, decimal strings (or numbers) for
 * money and quantities. This schema checks shape, formats, catalogs and XSD lengths/limits; rules that
 * span several fields live in `rules/` and run after it (see validate.ts). MAPPING.md maps every field
 * to its rFE and HKA element.
 */
import * as z from 'zod';
import { canonicalDecimal, digitCounts } from './amounts';
import {
  countryCodes,
  cpbsFamilyCodes,
  cpbsSegmentCodes,
  currencyCodes,
  incotermCodes,
  locationCodes,
  unitCodes,
} from './catalogs/catalogs.generated';
import {
  branchTypeCodes,
  cafeDeliveryCodes,
  cafeFormatCodes,
  containerDeliveryCodes,
  destinationCodes,
  documentTypeCodes,
  emissionTypeCodes,
  foreignIdTypeCodes,
  iscRates,
  itbmsRateAliases,
  operationNatureCodes,
  operationTypeCodes,
  otiCodes,
  paymentMethodCodes,
  paymentTermCodes,
  receiverTypeCodes,
  saleTypeCodes,
  withholdingCodes,
} from './codes';
import { dgiEmailSchema } from './email';
import { isCalendarDate, parseDateTime } from './panama-time';
import { xmlSafeText } from './text';

export * from './codes';

/** Limits of rFE v1.00 (§9.6 of the domain brief). */
export const limits = {
  items: 1000,
  payments: 10,
  discounts: 5,
  references: 99,
  installments: 99,
  phones: 3,
  emails: 3,
} as const;

/**
 * Longest text a decimal or a date can be: enough for any value the XSD accepts written with spaces and
 * leading zeros, and a bound on the work a malformed one costs.
 */
const MAX_SCALAR_TEXT = 64;

function keysOf<T extends Record<string, unknown>>(map: T): [keyof T & string, ...(keyof T & string)[]] {
  return Object.keys(map) as [keyof T & string, ...(keyof T & string)[]];
}
const friendly = <T extends Record<string, unknown>>(map: T) => z.enum(keysOf(map));

type DecimalOptions = { maxInteger: number; maxFraction: number; min: 'zero' | 'positive' };

/**
 * A decimal given as a string ("12.50") or a number (12.5), normalized to a canonical decimal string.
 * Limits are XSD digit counts: exceeding them is an error, never a silent rounding.
 */
function decimal({ maxInteger, maxFraction, min }: DecimalOptions) {
  return z
    .union([z.string().max(MAX_SCALAR_TEXT), z.number()], {
      error: 'must be a decimal number such as "12.50"',
    })
    .transform((raw, ctx) => {
      const value = canonicalDecimal(raw);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be a decimal number such as "12.50"' });
        return z.NEVER;
      }
      if (value.startsWith('-')) {
        ctx.addIssue({ code: 'custom', message: 'must not be negative' });
        return z.NEVER;
      }
      if (min === 'positive' && /^0(\.0*)?$/.test(value)) {
        ctx.addIssue({ code: 'custom', message: 'must be greater than zero' });
        return z.NEVER;
      }
      const digits = digitCounts(value);
      if (digits.integer > maxInteger) {
        ctx.addIssue({ code: 'custom', message: `must have at most ${maxInteger} integer digits` });
        return z.NEVER;
      }
      if (digits.fraction > maxFraction) {
        ctx.addIssue({ code: 'custom', message: `must have at most ${maxFraction} decimals` });
        return z.NEVER;
      }
      return value;
    });
}

/** Unit prices and item money (montoTipo06: ≤ 9 integer digits, ≤ 6 decimals). */
const itemMoney = (min: DecimalOptions['min'] = 'zero') => decimal({ maxInteger: 9, maxFraction: 6, min });
/** Item freight/insurance (montoTipo02: 2 decimals). */
const itemCharge = () => decimal({ maxInteger: 9, maxFraction: 2, min: 'zero' });
/** Document-level money (montoTipo01: ≤ 11 integer digits, 2 decimals). */
const money = (min: DecimalOptions['min'] = 'zero') => decimal({ maxInteger: 11, maxFraction: 2, min });
/** Quantities (montoTipo31: ≤ 9 integer digits, ≤ 6 decimals). */
const quantity = () => decimal({ maxInteger: 9, maxFraction: 6, min: 'positive' });

const dateTime = () =>
  z
    .string()
    .max(MAX_SCALAR_TEXT)
    .refine((value) => parseDateTime(value) !== undefined, {
      message: 'must be an ISO-8601 date-time such as "2026-11-22T10:30:00-05:00"',
    });
const calendarDate = () =>
  z
    .string()
    .max(MAX_SCALAR_TEXT)
    .refine(isCalendarDate, { message: 'must be a calendar date such as "2026-11-22"' });

const inCatalog = (catalog: ReadonlySet<string>, what: string) =>
  z.string().refine((value) => value !== '' && catalog.has(value), {
    message: `is not a code of the DGI ${what} catalog (codes are case-sensitive)`,
  });

/** telefonoType. */
export const phoneSchema = z
  .string()
  .regex(/^[0-9]{3,4}-[0-9]{4}$/, 'must look like "999-9999" or "9999-9999"');
/** emailType of the XSD, checked in linear time with the RFC 5321 length limits (see email.ts). */
export const emailSchema = dgiEmailSchema;

const rucTypeSchema = z
  .enum(['1', '2', 'natural', 'juridical'])
  .transform((value): '1' | '2' => (value === 'natural' ? '1' : value === 'juridical' ? '2' : value));
const rucSchema = xmlSafeText({ trim: true, min: 5, max: 20 });
const dvSchema = z.string().regex(/^[0-9]{2}$/, 'must be exactly 2 digits');

export const locationSchema = z.strictObject({
  /** `P-D-C`, e.g. `8-8-7`. */
  code: inCatalog(locationCodes, 'ubicaciones'),
  province: xmlSafeText({ min: 1, max: 50 }),
  district: xmlSafeText({ min: 1, max: 50 }),
  corregimiento: xmlSafeText({ min: 1, max: 50 }),
});

export const receiverSchema = z.strictObject({
  type: friendly(receiverTypeCodes),
  rucType: rucTypeSchema.optional(),
  ruc: rucSchema.optional(),
  dv: dvSchema.optional(),
  // HKA's Enviar takes 2..200 (the DGI revision of 2025 widened names); the v1.00 XSD the emitter-signed
  // channel signs against stops at 100, which that channel's pre-flight checks.
  name: xmlSafeText({ trim: true, min: 2, max: 200 }).optional(),
  address: xmlSafeText({ trim: true, min: 1, max: 100 }).optional(),
  location: locationSchema.optional(),
  foreignId: z
    .strictObject({
      type: friendly(foreignIdTypeCodes),
      number: xmlSafeText({ trim: true, min: 1, max: 50 }),
      /** Issuing country name (`dPaisExt`), required for passports. */
      country: xmlSafeText({ trim: true, min: 2, max: 100 }).optional(),
    })
    .optional(),
  phones: z.array(phoneSchema).max(limits.phones).optional(),
  emails: z.array(emailSchema).max(limits.emails).optional(),
  /** ISO-3166 alpha-2 from the DGI catalog; `ZZ` = not in the catalog (then `countryName`). */
  country: inCatalog(countryCodes, 'países').default('PA'),
  countryName: xmlSafeText({ trim: true, min: 5, max: 50 }).optional(),
});

export const itemSchema = z.strictObject({
  description: xmlSafeText({ trim: true, min: 2, max: 500 }),
  /** `dCodProd`: HKA rejects special characters such as `:`. */
  code: z
    .string()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9 ._\-/]+$/, 'may only contain letters, digits, spaces and . _ - /')
    .optional(),
  unit: inCatalog(unitCodes, 'unidades de medida').optional(),
  quantity: quantity(),
  unitPrice: itemMoney(),
  /** Discount per unit, in money (not a percentage). */
  unitDiscount: itemMoney().optional(),
  /** `'0' | '7' | '10' | '15'` (percent) or the DGI code `'00'..'03'`; normalized to the code. */
  itbmsRate: z.union([z.string().max(MAX_SCALAR_TEXT), z.number()]).transform((value, ctx) => {
    const code = itbmsRateAliases.get(String(value));
    if (!code) {
      ctx.addIssue({ code: 'custom', message: 'must be 0, 7, 10 or 15 (percent) or a code 00..03' });
      return z.NEVER;
    }
    return code;
  }),
  /** ISC: a rate from the DGI list (amount computed) or an explicit amount. */
  isc: z
    .strictObject({ rate: z.enum(iscRates).optional(), amount: itemMoney().optional() })
    .refine((isc) => isc.rate !== undefined || isc.amount !== undefined, {
      message: 'needs a rate or an amount',
    })
    .optional(),
  oti: z.array(z.strictObject({ code: z.enum(otiCodes), amount: itemMoney() })).optional(),
  freight: itemCharge().optional(),
  insurance: itemCharge().optional(),
  manufacturedOn: calendarDate().optional(),
  expiresOn: calendarDate().optional(),
  /** CPBS classification, mandatory on every item for government receivers. */
  cpbs: z
    .strictObject({
      segment: inCatalog(cpbsSegmentCodes, 'CPBS (segmento)'),
      family: inCatalog(cpbsFamilyCodes, 'CPBS (familia)'),
      unit: inCatalog(unitCodes, 'unidades de medida').optional(),
    })
    .optional(),
  info: xmlSafeText({ max: 5000 }).optional(),
  gtin: z
    .strictObject({
      code: z.string().regex(/^(0|[0-9]{8}|[0-9]{12,14})$/, 'must be 0, 8 or 12–14 digits'),
      quantity: quantity().optional(),
      inventoryCode: z
        .string()
        .regex(/^(0|[0-9]{8}|[0-9]{12,14})$/, 'must be 0, 8 or 12–14 digits')
        .optional(),
      inventoryQuantity: quantity().optional(),
    })
    .optional(),
  /** Medicine lot (`gMedicina`). */
  lot: z
    .strictObject({
      number: xmlSafeText({ trim: true, min: 5, max: 35 }),
      quantity: z.number().int().nonnegative(),
    })
    .optional(),
});

export const referenceSchema = z.strictObject({
  /** Exactly one of `cufe`, `paperInvoiceNumber`, `fiscalPrinterInvoiceNumber`. */
  cufe: xmlSafeText({ min: 66, max: 66 }).optional(),
  paperInvoiceNumber: xmlSafeText({ min: 1, max: 22 }).optional(),
  fiscalPrinterInvoiceNumber: xmlSafeText({ min: 1, max: 22 }).optional(),
  /** Emission date-time of the referenced document. */
  issuedAt: dateTime(),
  /** Issuer of the referenced document; defaults to the issuer of this document. */
  issuer: z
    .strictObject({
      rucType: rucTypeSchema,
      ruc: rucSchema,
      dv: dvSchema,
      name: xmlSafeText({ trim: true, min: 2, max: 100 }),
    })
    .optional(),
});

export const paymentSchema = z.strictObject({
  method: friendly(paymentMethodCodes),
  /** Required for `other` (`dFormaPagoDesc`, 10..100). */
  description: xmlSafeText({ trim: true, min: 10, max: 100 }).optional(),
  amount: money(),
});

export const installmentSchema = z.strictObject({
  dueAt: dateTime(),
  amount: money('positive'),
  info: xmlSafeText({ trim: true, min: 15, max: 1000 }).optional(),
});

export const discountSchema = z.strictObject({
  description: xmlSafeText({ trim: true, min: 1, max: 500 }),
  amount: money('positive'),
});

export const exportSchema = z.strictObject({
  incoterm: inCatalog(incotermCodes, 'INCOTERMS'),
  currency: inCatalog(currencyCodes, 'monedas').optional(),
  /** Required when `currency` is `ZZZ`. */
  currencyDescription: xmlSafeText({ trim: true, min: 1, max: 50 }).optional(),
  exchangeRate: decimal({ maxInteger: 11, maxFraction: 4, min: 'positive' }).optional(),
  foreignCurrencyTotal: money().optional(),
  port: xmlSafeText({ trim: true, min: 5, max: 50 }).optional(),
});

export const documentInputSchema = z.strictObject({
  type: friendly(documentTypeCodes),
  emissionType: friendly(emissionTypeCodes).default('normal'),
  /** Required for `contingency` / `posterior-contingency`. */
  contingency: z
    .strictObject({ startedAt: dateTime(), reason: xmlSafeText({ trim: true, min: 15, max: 250 }) })
    .optional(),
  /** Stamped with the current Panama time when absent. */
  issuedAt: dateTime().optional(),
  departureAt: dateTime().optional(),
  /** Defaults per document type (see document-types.ts). */
  operationNature: friendly(operationNatureCodes).optional(),
  operationType: friendly(operationTypeCodes).optional(),
  destination: friendly(destinationCodes).optional(),
  cafeFormat: friendly(cafeFormatCodes).default('letter'),
  cafeDelivery: friendly(cafeDeliveryCodes).default('electronic'),
  containerDelivery: friendly(containerDeliveryCodes).default('normal'),
  /** Only on sales (not on credit/debit notes); defaults to `ordinary` there. */
  saleType: friendly(saleTypeCodes).optional(),
  branchType: friendly(branchTypeCodes).optional(),
  /** `dSucEm`, AN4. */
  branch: z
    .string()
    .regex(/^[a-zA-Z0-9]{4}$/, 'must be 4 letters or digits, "0000" = head office')
    .default('0000'),
  /** `dPtoFacDF`, 3 digits, not 000. */
  pointOfSale: z
    .string()
    .regex(/^(?!000)[0-9]{3}$/, 'must be 3 digits and not "000"')
    .default('001'),
  /** Free issuer information (`dInfEmFE`). */
  remarks: xmlSafeText({ max: 5000 }).optional(),
  receiver: receiverSchema,
  export: exportSchema.optional(),
  references: z.array(referenceSchema).max(limits.references).optional(),
  items: z.array(itemSchema).min(1).max(limits.items),
  /** Document-level freight and insurance (`dTotAcar`, `dTotSeg`). */
  freight: money().optional(),
  insurance: money().optional(),
  discounts: z.array(discountSchema).max(limits.discounts).optional(),
  payments: z.array(paymentSchema).min(1).max(limits.payments),
  /** Derived from the payment methods when absent (credit only → term, credit + other → mixed). */
  paymentTerm: friendly(paymentTermCodes).optional(),
  installments: z.array(installmentSchema).max(limits.installments).optional(),
  withholding: z.strictObject({ code: z.enum(withholdingCodes), amount: money('positive') }).optional(),
  /** `cafe-pdf` layout hint; not part of the fiscal document. */
  cafeLayout: z.enum(['letter', 'ticket']).optional(),
});

/** What a client sends (before defaults and normalization). */
export type DocumentInputRaw = z.input<typeof documentInputSchema>;
/** The parsed input: defaults applied, decimals canonical strings, ITBMS rates as codes. */
export type DocumentInput = z.output<typeof documentInputSchema>;
export type ItemInput = DocumentInput['items'][number];
export type ReceiverInput = DocumentInput['receiver'];
export type ReferenceInput = NonNullable<DocumentInput['references']>[number];
export type PaymentInput = DocumentInput['payments'][number];
