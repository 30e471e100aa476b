import type { Issuer } from './issuer';

/**
 * Where a document is issued from and under which number: everything the rFE and HKA's `documento` need
 * beyond the document itself. Kept apart from the rFE builder so that what only maps a document (HKA's
 * `documento`) does not load the rFE writer.
 */
export type RfeContext = {
  issuer: Issuer;
  /** `iAmb`: 1 production, 2 test. */
  environment: '1' | '2';
  /** `dNroDF`, 10 digits, not all zeros. */
  number: string;
  /** `dPtoFacDF`, 3 digits, not 000. */
  pointOfSale: string;
  /** `dSeg`, 9 digits, not all zeros. */
  securityCode: string;
};

export class RfeContextError extends Error {
  override readonly name = 'RfeContextError';
  readonly code = 'RFE_CONTEXT';
}

/** The XSD patterns of these three fields had look-aheads the patched XSD dropped: enforce them here. */
export function assertNumbering(ctx: Pick<RfeContext, 'number' | 'pointOfSale'>): void {
  if (!/^(?!0{10})[0-9]{10}$/.test(ctx.number)) {
    throw new RfeContextError(`number "${ctx.number}" must be 10 digits, not all zeros`);
  }
  if (!/^(?!000)[0-9]{3}$/.test(ctx.pointOfSale)) {
    throw new RfeContextError(`pointOfSale "${ctx.pointOfSale}" must be 3 digits, not 000`);
  }
}

export function assertRfeContext(ctx: RfeContext): void {
  assertNumbering(ctx);
  if (!/^(?!0{9})[0-9]{9}$/.test(ctx.securityCode)) {
    throw new RfeContextError(`securityCode "${ctx.securityCode}" must be 9 digits, not all zeros`);
  }
}
