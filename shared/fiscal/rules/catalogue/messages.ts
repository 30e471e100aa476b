/**
 * HKA's message shapes (brief §8.7): `El campo X es requerido`, `… no debe ser informado`,
 * `… es inválido. …`, and `En la ocurrencia [n] de Item, …` for repeated groups. Our HKA client parses
 * exactly these, so the sandbox and the rule catalogue build them in this one place.
 */
export const required = (field: string) => `El campo ${field} es requerido`;
export const forbidden = (field: string) => `El campo ${field} no debe ser informado`;
export const invalid = (field: string, why: string) => `El campo ${field} es inválido. ${why}`;
export const inOccurrence = (group: string, n: number, message: string) =>
  `En la ocurrencia [${n}] de ${group}, ${message}`;
