import { describe, expect, it } from 'vitest';
import {
  buildCufe,
  type CufeFields,
  checkCufe,
  cufeCheckDigit,
  generateSecurityCode,
  parseCufe,
} from '#shared/fiscal/cufe';

// §12.1 vectors and their decomposition.
const vectors: [string, CufeFields][] = [
  [
    'FE012000000521-136-113133-0270062022051590000008910080125781091727',
    {
      documentType: '01',
      rucType: '2',
      ruc: '521-136-113133',
      dv: '02',
      branch: '7006',
      date: '20220515',
      number: '9000000891',
      pointOfSale: '008',
      emissionType: '01',
      environment: '2',
      securityCode: '578109172',
    },
  ],
  [
    'FE0120000155596713-2-2015-5900012019052800055000155650121566749040',
    {
      documentType: '01',
      rucType: '2',
      ruc: '155596713-2-2015',
      dv: '59',
      branch: '0001',
      date: '20190528',
      number: '0005500015',
      pointOfSale: '565',
      emissionType: '01',
      environment: '2',
      securityCode: '156674904',
    },
  ],
  [
    'FE0120000155596713-2-2015-5900002020021000000050185050221010989249',
    {
      documentType: '01',
      rucType: '2',
      ruc: '155596713-2-2015',
      dv: '59',
      branch: '0000',
      date: '20200210',
      number: '0000005018',
      pointOfSale: '505',
      emissionType: '02',
      environment: '2',
      securityCode: '101098924',
    },
  ],
  [
    'FE011000008-PE-3824-00523-2800012017071500000151340010117450183432',
    {
      documentType: '01',
      rucType: '1',
      ruc: '8-PE-3824-00523',
      dv: '28',
      branch: '0001',
      date: '20170715',
      number: '0000015134',
      pointOfSale: '001',
      emissionType: '01',
      environment: '1',
      securityCode: '745018343',
    },
  ],
];

describe('buildCufe', () => {
  it.each(vectors)('rebuilds %s from its fields', (cufe, fields) => {
    // Act
    const built = buildCufe(fields);

    // Assess
    expect(built).toBe(cufe);
    expect(built).toHaveLength(66);
  });

  it('reproduces the worked example of §4.3 (Luhn sum 163 → check digit 7)', () => {
    // Prepare
    const body = '012000000521-136-113133-027006202205159000000891008012578109172';

    // Act & Assess
    expect(cufeCheckDigit(body)).toBe('7');
  });

  it.each([
    ['number', '0000000000'],
    ['pointOfSale', '000'],
    ['securityCode', '000000000'],
    ['date', '2022-05-15'],
    ['branch', '07006'],
  ] as const)('rejects an invalid %s (%s)', (field, value) => {
    // Prepare
    const fields = { ...(vectors[0] as [string, CufeFields])[1], [field]: value };

    // Act & Assess
    expect(() => buildCufe(fields)).toThrow(/CUFE field/);
  });
});

describe('checkCufe', () => {
  it.each(vectors.map(([cufe]) => cufe))('accepts %s', (cufe) => {
    // Act & Assess
    expect(checkCufe(cufe)).toEqual({ valid: true });
  });

  it.each(vectors)('parses %s back into its fields', (cufe, fields) => {
    // Act
    const parsed = parseCufe(cufe);

    // Assess
    expect(parsed).toMatchObject({ ...fields, ruc: fields.ruc });
  });

  it('rejects a wrong check digit and says which one was expected', () => {
    // Prepare
    const cufe = 'FE012000000521-136-113133-0270062022051590000008910080125781091728';

    // Act
    const result = checkCufe(cufe);

    // Assess
    expect(result).toEqual({ valid: false, reason: 'check digit is 8, expected 7' });
  });

  it.each([
    ['FE0120', /66 characters/],
    [`XX${'0'.repeat(64)}`, /start with "FE"/],
    ['FE012000000521-136-113133-0270062022051590000008910080125781091a27', /upper-case/],
    ['FE012000000521-136-113133-0270062022023190000008910080125781091727', /emission date/],
    ['FE992000000521-136-113133-0270062022051590000008910080125781091727', /document type/],
    ['FE012000000521-136-113133-0270062022051500000000000080125781091727', /document number/],
    ['FE012000000521-136-11313300270062022051590000008910080125781091727', /"-" before the DV/],
  ])('rejects %s', (cufe, reason) => {
    // Act
    const result = checkCufe(cufe);

    // Assess
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.reason).toMatch(reason);
  });
});

describe('generateSecurityCode', () => {
  it('returns 9 digits, never all zeros, and varies', () => {
    // Act
    const codes = Array.from({ length: 200 }, generateSecurityCode);

    // Assess
    for (const code of codes) expect(code).toMatch(/^(?!0{9})[0-9]{9}$/);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });
});
