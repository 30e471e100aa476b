/** Inicio. */
export const es = {
  'home.title': 'Inicio',
  'home.folios': 'Folios disponibles',
  'home.foliosOf': 'de {total} en el ciclo {cycle}',
  'home.foliosUnknown': 'Aún no se ha sincronizado el saldo con HKA.',
  'home.syncedAt': 'Sincronizado: {at}',
  'home.needsAction': 'Documentos que requieren atención',
  'home.needsActionNone': 'Ningún documento requiere atención.',
} as const;

export const en: Record<keyof typeof es, string> = {
  'home.title': 'Home',
  'home.folios': 'Folios available',
  'home.foliosOf': 'of {total} in cycle {cycle}',
  'home.foliosUnknown': 'The balance has not been synchronized with HKA yet.',
  'home.syncedAt': 'Synchronized: {at}',
  'home.needsAction': 'Documents needing action',
  'home.needsActionNone': 'No document needs action.',
};
