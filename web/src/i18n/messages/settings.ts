/** Configuración: the frame its sections share. */
export const es = {
  'nav.settings': 'Configuración',
  'settings.title': 'Configuración',
  'settings.nav': 'Secciones de configuración',
  'settings.nothing': 'Su rol no administra ninguna configuración.',
} as const;

export const en: Record<keyof typeof es, string> = {
  'nav.settings': 'Settings',
  'settings.title': 'Settings',
  'settings.nav': 'Settings sections',
  'settings.nothing': 'Your role manages no settings.',
};
