/**
 * EnvioCorreo's delivery: a real e-mail through SES v2 (the local cloud points `sesEndpoint` at its SES
 * emulator), CAFE PDF and rFE XML attached as HKA does. Raw MIME keeps attachments independent of the
 * emulator's support for SES "Simple" attachments.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export type MailInput = {
  from: string;
  to: string;
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

export type Mailer = (mail: MailInput) => Promise<{ messageId: string }>;

export function createSesMailer(options: { endpoint?: string; region?: string }): Mailer {
  const client = new SESv2Client({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // Local emulators accept any credentials; never pick up real ones for a local endpoint.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });
  return async (mail) => {
    const result = await client.send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: [mail.to] },
        Content: { Raw: { Data: Buffer.from(mimeMessage(mail)) } },
      }),
    );
    return { messageId: result.MessageId ?? '' };
  };
}

const wrap76 = (base64: string) => base64.replace(/.{1,76}/g, '$&\r\n');
const encodeHeader = (value: string) => `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;

export function mimeMessage(mail: MailInput): string {
  const boundary = `factu-hka-sandbox-${Date.now().toString(36)}`;
  const parts = [
    `--${boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrap76(Buffer.from(mail.text, 'utf8').toString('base64'))}`,
    ...mail.attachments.map(
      (a) =>
        `--${boundary}\r\nContent-Type: ${a.contentType}; name="${a.filename}"\r\nContent-Disposition: attachment; filename="${a.filename}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrap76(a.content.toString('base64'))}`,
    ),
  ];
  return [
    `From: ${mail.from}`,
    `To: ${mail.to}`,
    `Subject: ${encodeHeader(mail.subject)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `${parts.join('\r\n')}\r\n--${boundary}--\r\n`,
  ].join('\r\n');
}
