/**
 * Conditional receiver fields per receiver type (§9.3 of the domain brief):
 * taxpayer/government need RUC + valid DV + name + address; government needs CPBS codes on every item;
 * a juridical RUC is never a final consumer; foreign receivers carry no RUC/DV/taxpayer type/location
 * but a foreign id.
 */
import { computeRucDv, RucFormatError } from '../ruc-dv';
import type { Violation } from '../violations';
import { inputRule, violation } from './types';

function checkDv(ruc: string, rucType: '1' | '2', dv: string, path: string): Violation[] {
  try {
    const expected = computeRucDv(ruc, rucType);
    return expected === dv
      ? []
      : [
          violation(
            `${path}.dv`,
            `DV "${dv}" does not match RUC ${ruc} as ${rucType === '1' ? 'natural' : 'juridical'} person (expected ${expected})`,
            'RUC_DV_MISMATCH',
          ),
        ];
  } catch (error) {
    if (error instanceof RucFormatError) return [violation(`${path}.ruc`, error.message, error.code)];
    throw error;
  }
}

const path = 'receiver';

/** Taxpayer/government receivers: RUC type, RUC, DV, name and address are required. */
const receiverRequiredRule = inputRule(['receiver'], ({ receiver }) => {
  const out: Violation[] = [];

  if (receiver.type === 'taxpayer' || receiver.type === 'government') {
    const label = receiver.type === 'taxpayer' ? 'a taxpayer' : 'a government';
    if (receiver.rucType === undefined) {
      out.push(
        violation(
          `${path}.rucType`,
          `is required for ${label} receiver (1 natural, 2 juridical)`,
          'REQUIRED',
        ),
      );
    }
    if (receiver.ruc === undefined)
      out.push(violation(`${path}.ruc`, `is required for ${label} receiver`, 'REQUIRED'));
    if (receiver.dv === undefined)
      out.push(violation(`${path}.dv`, `is required for ${label} receiver`, 'REQUIRED'));
    if (receiver.name === undefined) {
      out.push(violation(`${path}.name`, `is required for ${label} receiver (razón social)`, 'REQUIRED'));
    }
    if (receiver.address === undefined) {
      out.push(violation(`${path}.address`, `is required for ${label} receiver`, 'REQUIRED'));
    }
  }

  return out;
});

/**
 * Government receivers need a full CPBS classification on every item. Its own rule because it is the
 * only receiver check that reads `items`: a schema error in the items must not silence the others.
 */
const governmentCpbsRule = inputRule(['receiver', 'items'], ({ receiver, items }) => {
  const out: Violation[] = [];
  if (receiver.type === 'government') {
    items.forEach((item, index) => {
      if (!item.cpbs || item.cpbs.unit === undefined) {
        out.push(
          violation(
            `items[${index}].cpbs`,
            'is required for a government receiver: give segment, family and unit (CPBS)',
            'CPBS_REQUIRED',
          ),
        );
      }
    });
  }
  return out;
});

/**
 * Identity consistency: foreign id, DV check, country name (a juridical RUC as final consumer is the
 * catalogue's `receiver.juridical-final-consumer`).
 */
const receiverIdentityRule = inputRule(['receiver'], ({ receiver }) => {
  const out: Violation[] = [];
  if (receiver.type === 'foreign') {
    for (const field of ['rucType', 'ruc', 'dv', 'location'] as const) {
      if (receiver[field] !== undefined) {
        out.push(violation(`${path}.${field}`, 'must be omitted for a foreign receiver', 'NOT_ALLOWED'));
      }
    }
    if (!receiver.foreignId) {
      out.push(
        violation(`${path}.foreignId`, 'is required for a foreign receiver (type and number)', 'REQUIRED'),
      );
    } else if (receiver.foreignId.type === 'passport' && receiver.foreignId.country === undefined) {
      out.push(
        violation(`${path}.foreignId.country`, 'is required for a passport (issuing country)', 'REQUIRED'),
      );
    }
  } else if (receiver.foreignId !== undefined) {
    out.push(violation(`${path}.foreignId`, 'is only allowed for a foreign receiver', 'NOT_ALLOWED'));
  }

  // Whenever a RUC, its type and a DV are all present (any receiver but foreign), the DV must match.
  if (receiver.type !== 'foreign' && receiver.ruc && receiver.rucType && receiver.dv) {
    out.push(...checkDv(receiver.ruc, receiver.rucType, receiver.dv, path));
  }
  if (receiver.type === 'final-consumer' && receiver.dv !== undefined && receiver.rucType === undefined) {
    out.push(violation(`${path}.rucType`, 'is required to check the DV', 'REQUIRED'));
  }

  if (receiver.country === 'ZZ' && receiver.countryName === undefined) {
    out.push(
      violation(`${path}.countryName`, 'is required when country is "ZZ" (not in the catalog)', 'REQUIRED'),
    );
  }
  if (receiver.country !== 'ZZ' && receiver.countryName !== undefined) {
    out.push(violation(`${path}.countryName`, 'is only allowed with country "ZZ"', 'NOT_ALLOWED'));
  }
  return out;
});

/** The receiver checks, in the order their violations are reported. */
export const receiverRules = [receiverRequiredRule, governmentCpbsRule, receiverIdentityRule] as const;
