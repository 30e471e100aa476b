export {
  createHkaClient,
  DEFAULT_WSDL_PATH,
  type HkaClient,
  type HkaClientOptions,
  type HkaLogger,
} from './client.ts';
export { DATOS_DOCUMENTO_FIELDS, DOCUMENTO_FIELDS, type SchemaField } from './documento-schema.ts';
export {
  HkaAuthenticationError,
  type HkaError,
  HkaRejectedError,
  type HkaRejectionReason,
  HkaTransientError,
  type HkaViolation,
} from './errors.ts';
export {
  explainAnswer,
  type RejectionExplanation,
  unexplained,
  violationOf,
  violationsFromMessage,
} from './messages.ts';
export {
  type HkaCallMetric,
  type HkaCallOutcome,
  type HkaMetricsSink,
  noMetrics,
  powertoolsMetricsSink,
} from './metrics.ts';
export { HKA_OPERATIONS, type HkaCallName, type HkaOperation, NS, soapActionOf } from './namespaces.ts';
export {
  createPacReceptionClient,
  PAC_RECEPTION_NAMESPACE,
  type PacReceptionClientOptions,
  type PacReceptionResult,
} from './pac-reception-client.ts';
export { parseHkaDate } from './parse.ts';
export { REJECTIONS, type RejectionEntry, type RejectionHint, UNEXPLAINED } from './rejections.ts';
export { type RucQuery, type RucRegistration, rucRegistrationOf } from './ruc-registration.ts';
export { datosDocumentoOf, type SubmitResult, submitWithoutDuplicates } from './submit.ts';
export type * from './types.ts';
