import { CODES, type OperationHandler } from './context.ts';

/** FoliosRestantes: licence (annual) and cycle (monthly) counters of the tenant (brief §8.3, §11.3). */
export const foliosRestantes: OperationHandler = async (_ctx, _body, tenant) => {
  const f = tenant.folios;
  return [
    ['codigo', CODES.ok],
    ['mensaje', 'Consulta realizada con éxito.'],
    ['licencia', f.licencia],
    ['fechaLicencia', `${f.licenceFrom} / ${f.licenceTo}`],
    ['ciclo', f.ciclo],
    ['fechaCiclo', `${f.cycleFrom} / ${f.cycleTo}`],
    ['foliosTotalesCiclo', String(f.cycleTotal)],
    ['foliosUtilizadosCiclo', String(f.cycleUsed)],
    // The spelling of HKA's XML example (the wiki table says foliosDisponiblesCiclo).
    ['foliosDisponibleCiclo', String(Math.max(0, f.cycleTotal - f.cycleUsed))],
    ['foliosTotales', String(f.licenceTotal)],
    ['resultado', 'procesado'],
  ];
};
