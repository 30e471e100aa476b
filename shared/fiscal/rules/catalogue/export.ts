/**
 * Exports (brief §8.6, §3.4, §10): an export invoice carries its export data, and only a document going
 * abroad carries any; a document going abroad is sold to a foreign receiver (DGI 1534); its exchange rate
 * is given for a foreign currency and never for dollars (HKA: "El campo [tipoDeCambio] no debe ser
 * informado").
 */
import { forbidden, invalid, required } from './messages';
import { rule } from './types';

const USD = 'USD';

export const exportDataRequiredRule = rule({
  id: 'export.data-required',
  severity: 'error',
  source: { kind: 'dgi-xsd', section: 'brief §3.4 (gFExp)' },
  confidence: 'confirmed',
  hkaField: 'datosFacturaExportacion',
  appliesTo: 'both',
  hint: 'An export invoice needs export data (at least export.incoterm).',
  check: ({ tipoDocumento, exportacion }) =>
    tipoDocumento === '03' && exportacion === undefined
      ? [{ message: required('datosFacturaExportacion') }]
      : [],
});

export const exportDataAbroadRule = rule({
  id: 'export.data-only-abroad',
  severity: 'error',
  source: { kind: 'dgi-xsd', section: 'brief §3.4 (gFExp)' },
  confidence: 'likely',
  hkaField: 'datosFacturaExportacion',
  appliesTo: 'both',
  hint: 'Omit export unless the destination is "abroad".',
  check: ({ destinoOperacion, exportacion }) =>
    exportacion !== undefined && destinoOperacion !== undefined && destinoOperacion !== '2'
      ? [{ message: forbidden('datosFacturaExportacion') }]
      : [],
});

export const exportForeignReceiverRule = rule({
  id: 'export.foreign-receiver',
  severity: 'error',
  source: { kind: 'observed-rejection', section: 'brief §8.6 (DGI 1534)' },
  confidence: 'confirmed',
  hkaField: 'tipoClienteFE',
  appliesTo: 'both',
  hint: 'An export (type export-invoice or destination "abroad") needs a receiver of type "foreign".',
  check: ({ tipoDocumento, destinoOperacion, cliente }) => {
    const goesAbroad = tipoDocumento === '03' || destinoOperacion === '2';
    if (!goesAbroad || cliente?.tipoClienteFE === undefined || cliente.tipoClienteFE === '04') return [];
    return [
      { message: invalid('tipoClienteFE', 'En una exportación el receptor debe ser extranjero (04).') },
    ];
  },
});

export const exchangeRateRequiredRule = rule({
  id: 'export.exchange-rate-required',
  severity: 'error',
  source: { kind: 'dgi-xsd', section: 'brief §3.4 (gFExp/dCambio)' },
  confidence: 'likely',
  hkaField: 'tipoDeCambio',
  appliesTo: 'both',
  hint: 'Give export.exchangeRate (balboas per unit of the currency) when the currency is not USD.',
  check: ({ exportacion }) => {
    const currency = exportacion?.monedaOperExportacion ?? USD;
    if (!exportacion || currency === USD || exportacion.tipoDeCambio !== undefined) return [];
    return [{ message: required('tipoDeCambio') }];
  },
});

export const exchangeRateInDollarsRule = rule({
  id: 'export.exchange-rate-in-dollars',
  severity: 'error',
  source: { kind: 'observed-rejection', section: 'brief §10' },
  confidence: 'confirmed',
  hkaField: 'tipoDeCambio',
  appliesTo: 'both',
  hint: 'Omit export.exchangeRate when the currency is USD (or not given).',
  check: ({ exportacion }) => {
    const currency = exportacion?.monedaOperExportacion ?? USD;
    if (!exportacion || currency !== USD || exportacion.tipoDeCambio === undefined) return [];
    return [{ message: forbidden('[tipoDeCambio]') }];
  },
});
