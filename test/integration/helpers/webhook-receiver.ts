import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '#shared/webhooks/signature';
import { type Json, pollUntil } from './local-cloud.ts';

export type Received = {
  eventId: string;
  type: string;
  body: Json;
  raw: string;
  signature: string;
  valid: boolean;
};

/**
 * A webhook receiver for integration tests: a local HTTP server (allowed on 127.0.0.1 only because the local
 * cloud sets WEBHOOKS_ALLOW_LOOPBACK) that records every request, verifies its Factu-Signature as a client
 * would (with the secret the registration returned), and answers what `answers` says (200 by default).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Per event type, statuses to answer next (one per request, then 200). */
  readonly answers = new Map<string, number[]>();
  /** Effects applied once per event id, as a receiver that dedupes would. */
  readonly effects = new Map<string, number>();
  secret = '';
  clockOffsetMs = 0;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const signature = String(request.headers['factu-signature'] ?? '');
        const check = verifySignature(this.secret, raw, signature, {
          now: new Date(Date.now() + this.clockOffsetMs),
        });
        const body = JSON.parse(raw) as Json;
        this.received.push({ eventId: body.id, type: body.type, body, raw, signature, valid: check.valid });
        const status = this.answers.get(body.type)?.shift() ?? 200;
        if (check.valid && status === 200 && !this.effects.has(body.id)) this.effects.set(body.id, 1);
        response.writeHead(status, { 'content-type': 'text/plain' });
        response.end(status === 200 ? 'ok' : 'try later');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/factu/webhooks`;
  }

  of(type: string, match: (body: Json) => boolean = () => true): Received[] {
    return this.received.filter((entry) => entry.type === type && match(entry.body));
  }

  async waitFor(
    type: string,
    match: (body: Json) => boolean,
    count = 1,
    timeoutMs = 30_000,
  ): Promise<Received[]> {
    return pollUntil(
      async () => this.of(type, match),
      (found) => found.length >= count,
      timeoutMs,
    );
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
