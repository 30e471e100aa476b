import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { config } from '#shared/config/config';
import { tracer } from '#shared/observability/tracer';

let client: SFNClient | undefined;

export function sfnClient(): SFNClient {
  client ??= tracer.captureAWSv3Client(new SFNClient({}));
  return client;
}

/** The state passed between the issuing pipeline's tasks (docs/contracts.md). */
export type PipelineState = {
  tenantId: string;
  documentId: string;
  channel?: 'hka-integration' | 'emitter-signed';
  unsignedXmlKey?: string;
  signedXmlKey?: string;
  authorization?: { cufe: string; qr: string; protocol: string; authorizedAt: string };
  artifacts?: { xmlKey: string; pdfKey: string };
  error?: { Error: string; Cause: string };
};

/** `<tenantId>-<documentId>-<attempt>`: deterministic, so starting the same attempt twice is harmless. */
export function executionName(tenantId: string, documentId: string, attempt: number): string {
  return `${tenantId}-${documentId}-${attempt}`;
}

/** Starts the issuing pipeline; an already-started execution of the same attempt counts as started. */
export async function startIssuingPipeline(tenantId: string, documentId: string, attempt = 1): Promise<void> {
  const input: PipelineState = { tenantId, documentId };
  try {
    await sfnClient().send(
      new StartExecutionCommand({
        stateMachineArn: config().issuingStateMachineArn,
        name: executionName(tenantId, documentId, attempt),
        input: JSON.stringify(input),
      }),
    );
  } catch (error) {
    if (
      error instanceof ExecutionAlreadyExists ||
      (error as { name?: string }).name === 'ExecutionAlreadyExists'
    ) {
      return;
    }
    throw error;
  }
}
