import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToTarget, resolveWebhookTarget } from '#shared/webhooks/target';

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://169.254.169.254/' });
      res.end();
    } else if (req.url === '/slow') {
      setTimeout(() => res.end(), 2_000);
    } else {
      res.writeHead(204);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const refusal = async (url: string, allowLoopback = false) =>
  resolveWebhookTarget(url, { allowLoopback }).then(
    () => 'allowed',
    (error: { reason?: string }) => error.reason,
  );

describe('webhook targets', () => {
  it('refuses what is not https to a public address, with the reason', async () => {
    expect(await refusal('not a url')).toBe('URL_INVALID');
    expect(await refusal('http://example.com/x')).toBe('URL_NOT_HTTPS');
    expect(await refusal('ftp://example.com/x')).toBe('URL_NOT_HTTPS');
    expect(await refusal('https://user:pw@example.com/x')).toBe('URL_HAS_CREDENTIALS');
    expect(await refusal('https://10.0.0.1/x')).toBe('URL_FORBIDDEN_ADDRESS');
    expect(await refusal('https://[fd00:ec2::254]/x')).toBe('URL_FORBIDDEN_ADDRESS');
    expect(await refusal('https://[::ffff:169.254.169.254]/x')).toBe('URL_FORBIDDEN_ADDRESS');
    expect(await refusal('https://127.0.0.1/x')).toBe('URL_FORBIDDEN_ADDRESS');
    expect(await refusal('http://127.0.0.1:8080/x')).toBe('URL_NOT_HTTPS');
    expect(await refusal('https://no-such-host.invalid/x')).toBe('URL_UNRESOLVABLE');
    expect(await refusal('http://169.254.169.254/x', true)).toBe('URL_NOT_HTTPS');
    expect(await refusal('http://127.0.0.1:8080/x', true)).toBe('allowed');
    expect(await refusal('https://8.8.8.8/x')).toBe('allowed');
  });

  it('connects to the checked address, treats 2xx as success and never follows a redirect', async () => {
    // Prepare
    const target = await resolveWebhookTarget(`http://localhost:${port}/ok`, { allowLoopback: true });
    const redirect = await resolveWebhookTarget(`http://localhost:${port}/redirect`, { allowLoopback: true });

    // Act
    const ok = await postToTarget(target, '{}', {}, 5_000);
    const moved = await postToTarget(redirect, '{}', {}, 5_000);

    // Assess
    expect(target.address).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(ok).toMatchObject({ ok: true, statusCode: 204 });
    expect(moved).toMatchObject({ ok: false, statusCode: 302 });
  });

  it('gives up after the timeout', async () => {
    const target = await resolveWebhookTarget(`http://127.0.0.1:${port}/slow`, { allowLoopback: true });
    const outcome = await postToTarget(target, '{}', {}, 300);
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: 'timeout' });
    expect(outcome.durationMs).toBeLessThan(1_500);
  });
});
