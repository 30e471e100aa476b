/**
 * What a PAC hands back on authorization: CUFE (with its check digit, `#shared/fiscal/cufe`), protocol
 * number, reception time (brief §4, §8.7). The QR URL comes with the signature (`pac-signer.ts`).
 */
import { buildCufe } from '#shared/fiscal/cufe';
import type { Random } from './random.ts';

/** HKA's own RUC; the 2024+ protocol embeds the PAC RUC left-padded to 20 (brief §8.7). */
export const PAC_RUC = '155596713-2-2015';

/** `YYYY-MM-DDThh:mm:ss` in Panama time (UTC−05:00, no DST). */
export function panamaLocal(instant: Date): string {
  return new Date(instant.getTime() - 5 * 3_600_000).toISOString().slice(0, 19);
}

/** Panama local date `YYYYMMDD` of a fechaTZ value. */
export function cufeDateOf(fechaEmision: string): string {
  const instant = new Date(fechaEmision);
  return panamaLocal(instant).slice(0, 10).replaceAll('-', '');
}

export function securityCode(random: Random): string {
  let code = random.digits(9);
  while (/^0+$/.test(code)) code = random.digits(9);
  return code;
}

export function buildDocumentCufe(input: {
  tipoDocumento: string;
  rucType: '1' | '2';
  ruc: string;
  dv: string;
  sucursal: string;
  fechaEmision: string;
  numero: string;
  punto: string;
  tipoEmision: string;
  securityCode: string;
}): string {
  return buildCufe({
    documentType: input.tipoDocumento,
    rucType: input.rucType,
    ruc: input.ruc,
    dv: input.dv,
    branch: input.sucursal,
    date: cufeDateOf(input.fechaEmision),
    number: input.numero.padStart(10, '0'),
    pointOfSale: input.punto.padStart(3, '0'),
    emissionType: input.tipoEmision,
    environment: '2',
    securityCode: input.securityCode,
  });
}

/** 40 chars: PAC RUC padded to 20 + year + 16-digit sequence. */
export function protocolNumber(instant: Date, sequence: number): string {
  return `${PAC_RUC.padStart(20, '0')}${panamaLocal(instant).slice(0, 4)}${String(sequence).padStart(16, '0')}`;
}
