import type { Server } from 'node:http';
import { createSqsServer } from 'local-aws-sqs';
import { ACCOUNT_ID, REGION } from '../aws.ts';

export type SqsLocal = { url: string; stop(): Promise<void> };

/**
 * local-aws-sqs (JSON and Query protocols, redrive to DLQ after maxReceiveCount). Queues live in memory: they
 * are recreated from the template at every start, and messages in flight do not survive a restart.
 */
export async function startSqsLocal({ port }: { port: number }): Promise<SqsLocal> {
  const server: Server = await createSqsServer({
    port,
    hostname: '127.0.0.1',
    region: REGION,
    accountId: ACCOUNT_ID,
    // Queues are recreated on every start; AWS's 60 s delete/recreate guard only gets in the way here.
    emulateQueueCreationLifecycle: false,
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
