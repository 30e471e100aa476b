import type { paths } from '../api/schema.gen';

export type ProductResource =
  paths['/v1/products/{id}']['get']['responses'][200]['content']['application/json']['data'];
export type ProductBody = NonNullable<
  paths['/v1/products']['post']['requestBody']
>['content']['application/json'];

/** The ITBMS rates people choose, in percent; the API answers with the DGI code. */
export const ITBMS_PERCENTS = ['0', '7', '10', '15'] as const;
const percentOfCode: Record<string, (typeof ITBMS_PERCENTS)[number]> = {
  '00': '0',
  '01': '7',
  '02': '10',
  '03': '15',
};
/** `'01'` → `'7'`; a percentage stays itself. */
export const itbmsPercent = (rate: string): string => percentOfCode[rate] ?? rate;

export type ProductDraft = {
  code: string;
  description: string;
  unit: string;
  unitPrice: string;
  itbmsRate: string;
  cpbsSegment: string;
  cpbsFamily: string;
  info: string;
  /** What the form does not edit (ISC, OTI, GTIN, the CPBS unit), kept as read: PUT replaces the whole product. */
  kept: Pick<ProductBody, 'isc' | 'oti' | 'gtin'> & { cpbsUnit?: string };
  version?: number;
};

export function emptyProductDraft(): ProductDraft {
  return {
    code: '',
    description: '',
    unit: 'und',
    unitPrice: '',
    itbmsRate: '7',
    cpbsSegment: '',
    cpbsFamily: '',
    info: '',
    kept: {},
  };
}

export function productDraftOf(product: ProductResource): ProductDraft {
  return {
    code: product.code,
    description: product.description,
    unit: product.unit ?? '',
    unitPrice: String(product.unitPrice),
    itbmsRate: itbmsPercent(String(product.itbmsRate)),
    cpbsSegment: product.cpbs?.segment ?? '',
    cpbsFamily: product.cpbs?.family ?? '',
    info: product.info ?? '',
    kept: {
      ...(product.isc ? { isc: product.isc } : {}),
      ...(product.oti ? { oti: product.oti } : {}),
      ...(product.gtin ? { gtin: product.gtin } : {}),
      ...(product.cpbs?.unit ? { cpbsUnit: product.cpbs.unit } : {}),
    },
    version: product.version,
  };
}

const filled = (value: string) => (value.trim() === '' ? undefined : value.trim());

export function productBodyOf(draft: ProductDraft): ProductBody {
  const { cpbsUnit, ...kept } = draft.kept;
  const unit = filled(draft.unit);
  const info = filled(draft.info);
  const withCpbs = filled(draft.cpbsSegment) || filled(draft.cpbsFamily);
  return {
    code: draft.code.trim(),
    description: draft.description.trim(),
    ...(unit ? { unit } : {}),
    unitPrice: draft.unitPrice.trim(),
    itbmsRate: draft.itbmsRate,
    ...(withCpbs
      ? {
          cpbs: {
            segment: draft.cpbsSegment.trim(),
            family: draft.cpbsFamily.trim(),
            ...(cpbsUnit ? { unit: cpbsUnit } : {}),
          },
        }
      : {}),
    ...(info ? { info } : {}),
    ...kept,
    ...(draft.version !== undefined ? { version: draft.version } : {}),
  };
}

export const PRODUCT_FIELDS = [
  'code',
  'description',
  'unit',
  'unitPrice',
  'itbmsRate',
  'cpbs.segment',
  'cpbs.family',
  'info',
] as const;
