/**
 * Document-type structure (brief §9.2): notes carry no tipoVenta; export data only abroad and required
 * on an export. The combination table (§8.6) and the exchange-rate rules are the shared rule catalogue's
 * (`#shared/fiscal/rules/catalogue`), run by validate-documento.ts.
 */
import { documentTypeCodes } from '#shared/fiscal/codes';
import { documentTypeProfiles } from '#shared/fiscal/document-types';
import { forbidden, type Violations } from './rules.ts';
import { child, text, type XmlObject } from './soap-io.ts';

const friendlyOf = <K extends string>(codes: Record<K, string>, code: string): K | undefined =>
  (Object.entries(codes) as [K, string][]).find(([, c]) => c === code)?.[0];

export function checkDocumentType(trx: XmlObject, v: Violations): void {
  const type = friendlyOf(documentTypeCodes, text(trx, 'tipoDocumento'));
  if (!type) return; // the code itself is reported elsewhere
  const profile = documentTypeProfiles[type];
  if (profile.isNote) v.check(text(trx, 'tipoVenta') === '', forbidden('tipoVenta'));

  const exportacion = child(trx, 'datosFacturaExportacion');
  if (exportacion) {
    v.check(text(trx, 'destinoOperacion') === '2', forbidden('datosFacturaExportacion'));
  } else if (type === 'export-invoice') {
    v.add(`El campo datosFacturaExportacion es requerido`);
  }
}
