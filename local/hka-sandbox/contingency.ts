/**
 * The contingency rules HKA applies to a received rFE (panama-fe.md §9.4), beyond the XSD (which already
 * bounds dMotCont to 15..250 characters): emission types 02/04 carry the contingency's start and reason,
 * 01/03 carry neither, and the start is not after the emission (DGI 1507).
 */
import { parseDateTime } from '#shared/fiscal/panama-time';

export const CONTINGENCY_CODES = {
  /** The DGI's code for a contingency start after the emission date (brief §9.4). */
  startAfterEmission: '1507',
  /** The sandbox's code for missing or unexpected contingency fields (HKA's own is not documented). */
  fields: '1506',
} as const;

const IN_CONTINGENCY = new Set(['02', '04']);

export function contingencyProblem(gen: {
  iTpEmis: string;
  dFechaEm: string;
  dFechaCont: string;
  dMotCont: string;
}): { code: string; message: string } | undefined {
  const inContingency = IN_CONTINGENCY.has(gen.iTpEmis);
  if (inContingency && (!gen.dFechaCont || !gen.dMotCont)) {
    return {
      code: CONTINGENCY_CODES.fields,
      message: 'La emisión en contingencia (iTpEmis 02/04) requiere dFechaCont y dMotCont.',
    };
  }
  if (!inContingency && (gen.dFechaCont || gen.dMotCont)) {
    return {
      code: CONTINGENCY_CODES.fields,
      message: 'dFechaCont y dMotCont solo corresponden a la emisión en contingencia (iTpEmis 02/04).',
    };
  }
  if (!inContingency) return undefined;
  const start = parseDateTime(gen.dFechaCont);
  const emitted = parseDateTime(gen.dFechaEm);
  if (start && emitted && start.getTime() > emitted.getTime()) {
    return {
      code: CONTINGENCY_CODES.startAfterEmission,
      message: 'La fecha de inicio de la contingencia (dFechaCont) no puede ser posterior a dFechaEm.',
    };
  }
  return undefined;
}
