import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as sendDocumentEmail } from '#functions/events/send-document-email';
import { documentRecord } from '../app/fixtures.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);

const prefix = `tenants/${TENANT}/documents/01KAQ0000000000000000000AB`;
const contingencyDoc = documentRecord({
  status: 'CONTINGENCY',
  emissionType: '02',
  cufe: 'FE01',
  receiver: { type: 'taxpayer', name: 'Cliente', emails: ['cliente@example.com'] },
  signedXmlKey: `${prefix}/rfe.xml`,
  contingency: {
    startedAt: '2026-12-06T15:00:00.000Z',
    deliveredAt: '2026-12-06T15:06:00.000Z',
    cafeKey: `${prefix}/contingency-cafe.pdf`,
  },
});
// The event as PublishContingency puts it on the bus (the e-mail rule matched hasRecipients: true).
const event = (detailType: string) => ({
  source: 'factu.documents',
  'detail-type': detailType,
  detail: { tenantId: TENANT, documentId: contingencyDoc.documentId, hasRecipients: true },
});
const sqsEvent = (body: unknown) => ({ Records: [{ messageId: 'm0', body: JSON.stringify(body) }] });

beforeEach(() => {
  for (const m of [ddb, s3, ses]) m.reset();
  s3.on(GetObjectCommand).resolves({
    Body: { transformToByteArray: async () => new Uint8Array([1, 2, 3]) } as never,
  });
  ddb.on(PutCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'x' });
});

describe('the contingency e-mail (document.contingency)', () => {
  it('sends the contingency CAFE and the signed rFE, saying the document was issued in contingency', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: contingencyDoc });

    // Act
    const out = await sendDocumentEmail(sqsEvent(event('document.contingency')));

    // Assess
    expect(out.batchItemFailures).toEqual([]);
    const mail = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(mail.Destination?.ToAddresses).toEqual(['cliente@example.com']);
    expect(mail.Content?.Simple?.Subject?.Data).toMatch(/\(emitido en contingencia\)$/);
    expect(mail.Content?.Simple?.Body?.Text?.Data).toContain('pendiente de autorización de uso ante la DGI');
    const keysRead = s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key);
    expect(keysRead.sort()).toEqual([`${prefix}/contingency-cafe.pdf`, `${prefix}/rfe.xml`]);
  });

  it('document.authorized of the same document still needs the authorized artifacts', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: contingencyDoc });

    // Act
    const out = await sendDocumentEmail(sqsEvent(event('document.authorized')));

    // Assess
    expect(out.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});
