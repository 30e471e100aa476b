/** aws-ses-v2-local on 127.0.0.1 (random port) and its `/store` of received e-mails. */
import type { AddressInfo } from 'node:net';
import sesServer from 'aws-ses-v2-local';

export type SesStoreEmail = {
  to?: string;
  destination?: { to?: string[] };
  subject?: string;
  attachments?: { filename?: string }[];
  messageId?: string;
};

export async function startLocalSes(): Promise<{
  endpoint: string;
  emails(): Promise<SesStoreEmail[]>;
  close(): Promise<void>;
}> {
  const server = await sesServer({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    async emails() {
      const res = await fetch(`${endpoint}/store`);
      return ((await res.json()) as { emails: SesStoreEmail[] }).emails;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
