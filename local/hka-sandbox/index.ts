export { FAULT_KINDS, type FaultKind, type FaultSpec } from './faults.ts';
export { PAC_CODES, PAC_NAMESPACE } from './pac-reception.ts';
export { type HkaSandbox, type HkaSandboxOptions, type HkaSandboxToken, startHkaSandbox } from './sandbox.ts';
export type { SandboxState, SandboxTenant, StoredDocument } from './state.ts';
