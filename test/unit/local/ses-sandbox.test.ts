import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SesLocal, startSesLocal } from '#local/emulators/ses';
import { freePort } from '#local/ports';

const FROM = 'no-reply@factu.example.com';
const rejected = (...addresses: string[]) =>
  `Email address is not verified. The following identities failed the check in region US-EAST-1: ${addresses.join(', ')}`;

describe('SES sandbox mode of the local SES', () => {
  let sandboxed: SesLocal;
  let open: SesLocal;
  let client: SESv2Client;

  const simple = (to: string[], from = FROM) =>
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: to },
      Content: { Simple: { Subject: { Data: 'Factura' }, Body: { Text: { Data: 'adjunta' } } } },
    });
  const clientFor = (ses: SesLocal) =>
    new SESv2Client({
      region: 'us-east-1',
      endpoint: ses.url,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
  const stored = async (ses: SesLocal) =>
    (
      (await (await fetch(`${ses.directUrl}/store`)).json()) as {
        emails: Array<{ destination: { to: string[] } }>;
      }
    ).emails;

  beforeAll(async () => {
    sandboxed = await startSesLocal({ port: await freePort(), sandbox: true });
    sandboxed.verifyIdentities(['factu.example.com', 'buyer@tenant.example.org']);
    open = await startSesLocal({ port: await freePort() });
    client = clientFor(sandboxed);
  });

  afterAll(async () => {
    client.destroy();
    await sandboxed.stop();
    await open.stop();
  });

  it('refuses a send to an unverified recipient with MessageRejected at the SES v2 API, and delivers nothing', async () => {
    await expect(client.send(simple(['stranger@gmail.example']))).rejects.toMatchObject({
      name: 'MessageRejected',
      message: rejected('stranger@gmail.example'),
      $metadata: { httpStatusCode: 400 },
    });
    expect(await stored(sandboxed)).toEqual([]);
  });

  it('lists every unverified identity, the sender included', async () => {
    await expect(
      client.send(
        simple(['buyer@tenant.example.org', 'Otro <other@elsewhere.example>'], 'me@unverified.example'),
      ),
    ).rejects.toMatchObject({
      name: 'MessageRejected',
      message: rejected('me@unverified.example', 'Otro <other@elsewhere.example>'),
    });
  });

  it('delivers to verified addresses, verified domains (subdomains too) and the mailbox simulator', async () => {
    const result = await client.send(
      simple(['buyer@tenant.example.org', 'ops@mail.factu.example.com', 'success@simulator.amazonses.com']),
    );

    expect(result.MessageId).toBeTruthy();
    expect((await stored(sandboxed)).at(-1)?.destination.to).toEqual([
      'buyer@tenant.example.org',
      'ops@mail.factu.example.com',
      'success@simulator.amazonses.com',
    ]);
  });

  it('refuses raw messages by their MIME recipients, and the v1 API with its XML error', async () => {
    const mime = [`From: ${FROM}`, 'To: Cliente <stranger@gmail.example>', 'Subject: x', '', 'body'].join(
      '\r\n',
    );
    await expect(
      client.send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(mime) } } })),
    ).rejects.toMatchObject({ name: 'MessageRejected', message: rejected('stranger@gmail.example') });

    const v1 = await fetch(sandboxed.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/ses/aws4_request',
      },
      body: new URLSearchParams({
        Action: 'SendEmail',
        Source: FROM,
        'Destination.ToAddresses.member.1': 'stranger@gmail.example',
        'Message.Subject.Data': 'x',
        'Message.Body.Text.Data': 'y',
      }),
    });
    const text = await v1.text();
    expect(v1.status).toBe(400);
    expect(text).toContain('<Code>MessageRejected</Code>');
    expect(text).toContain(rejected('stranger@gmail.example'));
  });

  it('passes everything else through: the mail viewer, and any recipient when the sandbox is off', async () => {
    expect((await fetch(`${sandboxed.url}/`)).status).toBe(200);

    const openClient = clientFor(open);
    await expect(openClient.send(simple(['stranger@gmail.example']))).resolves.toMatchObject({
      MessageId: expect.any(String),
    });
    openClient.destroy();
  });
});
