import type { paths } from '../api/schema.gen';

export type CustomerResource =
  paths['/v1/customers/{id}']['get']['responses'][200]['content']['application/json']['data'];
export type CustomerBody = NonNullable<
  paths['/v1/customers']['post']['requestBody']
>['content']['application/json'];

export const RECEIVER_TYPES = ['taxpayer', 'final-consumer', 'government', 'foreign'] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];
export const FOREIGN_ID_TYPES = ['passport', 'tax-id', 'other'] as const;
export type ForeignIdType = (typeof FOREIGN_ID_TYPES)[number];

/** The API answers the RUC type as its code; the schema's aliases (`natural`, `juridical`) name the same two. */
export const rucTypeCode = (value: string | undefined): '1' | '2' =>
  value === '1' || value === 'natural' ? '1' : '2';

/** A taxpayer or government carries RUC, DV, address and location; a foreign receiver a foreign id instead. */
export const hasRuc = (type: ReceiverType) => type === 'taxpayer' || type === 'government';

/** What the customer form holds: every field a string, as inputs give them. */
export type CustomerDraft = {
  type: ReceiverType;
  rucType: '1' | '2';
  ruc: string;
  dv: string;
  name: string;
  address: string;
  locationCode: string;
  province: string;
  district: string;
  corregimiento: string;
  foreignIdType: ForeignIdType;
  foreignIdNumber: string;
  foreignIdCountry: string;
  /** Comma-separated, as people type lists of two or three. */
  phones: string;
  emails: string;
  country: string;
  countryName: string;
  /** The version read, sent back so a concurrent change is refused instead of overwritten. */
  version?: number;
};

export function emptyCustomerDraft(): CustomerDraft {
  return {
    type: 'taxpayer',
    rucType: '2',
    ruc: '',
    dv: '',
    name: '',
    address: '',
    locationCode: '',
    province: '',
    district: '',
    corregimiento: '',
    foreignIdType: 'passport',
    foreignIdNumber: '',
    foreignIdCountry: '',
    phones: '',
    emails: '',
    country: 'PA',
    countryName: '',
  };
}

export function customerDraftOf(customer: CustomerResource): CustomerDraft {
  const empty = emptyCustomerDraft();
  return {
    type: customer.type,
    rucType: rucTypeCode(customer.rucType),
    ruc: customer.ruc ?? '',
    dv: customer.dv ?? '',
    name: customer.name,
    address: customer.address ?? '',
    locationCode: customer.location?.code ?? '',
    province: customer.location?.province ?? '',
    district: customer.location?.district ?? '',
    corregimiento: customer.location?.corregimiento ?? '',
    foreignIdType: customer.foreignId?.type ?? empty.foreignIdType,
    foreignIdNumber: customer.foreignId?.number ?? '',
    foreignIdCountry: customer.foreignId?.country ?? '',
    phones: (customer.phones ?? []).join(', '),
    emails: (customer.emails ?? []).join(', '),
    country: customer.country,
    countryName: customer.countryName ?? '',
    version: customer.version,
  };
}

const filled = (value: string) => (value.trim() === '' ? undefined : value.trim());
const list = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

/**
 * The body the API takes (POST, or PUT which replaces the whole customer): only what the receiver type
 * carries, empty fields left out so the API's "required" speaks rather than a "too short".
 */
export function customerBodyOf(draft: CustomerDraft): CustomerBody {
  const phones = list(draft.phones);
  const emails = list(draft.emails);
  const withRuc = hasRuc(draft.type);
  const anyLocation = [draft.locationCode, draft.province, draft.district, draft.corregimiento].some(filled);
  const countryName = filled(draft.countryName);
  const address = filled(draft.address);
  return {
    type: draft.type,
    name: draft.name.trim(),
    ...(withRuc || filled(draft.ruc)
      ? {
          rucType: draft.rucType,
          ...(filled(draft.ruc) ? { ruc: draft.ruc.trim() } : {}),
          ...(filled(draft.dv) ? { dv: draft.dv.trim() } : {}),
        }
      : {}),
    ...(address ? { address } : {}),
    ...(withRuc && anyLocation
      ? {
          location: {
            code: draft.locationCode.trim(),
            province: draft.province.trim(),
            district: draft.district.trim(),
            corregimiento: draft.corregimiento.trim(),
          },
        }
      : {}),
    ...(draft.type === 'foreign'
      ? {
          foreignId: {
            type: draft.foreignIdType,
            number: draft.foreignIdNumber.trim(),
            ...(filled(draft.foreignIdCountry) ? { country: draft.foreignIdCountry.trim() } : {}),
          },
        }
      : {}),
    ...(phones.length > 0 ? { phones } : {}),
    ...(emails.length > 0 ? { emails } : {}),
    country: draft.country.trim() || 'PA',
    ...(countryName ? { countryName } : {}),
    ...(draft.version !== undefined ? { version: draft.version } : {}),
  };
}

/** The form's field paths, as the API names them in `details[].path`. */
export const CUSTOMER_FIELDS = [
  'type',
  'rucType',
  'ruc',
  'dv',
  'name',
  'address',
  'location.code',
  'location.province',
  'location.district',
  'location.corregimiento',
  'foreignId.type',
  'foreignId.number',
  'foreignId.country',
  'phones',
  'emails',
  'country',
  'countryName',
] as const;
