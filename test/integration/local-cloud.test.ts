import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callApi, exampleDocument, localStack, pollUntil, session } from './helpers/local-cloud.ts';

const FINAL_STATUSES = ['AUTHORIZED', 'REJECTED', 'FAILED', 'CANCELLED'];

/**
 * The walking skeleton through the synthesized app on the local cloud: Cognito token → API Gateway (authorizer)
 * → issue-document → Step Functions pipeline (HKA sandbox) → DynamoDB/S3 → presigned downloads; plus isolation.
 */
describe('walking skeleton on the local cloud', () => {
  it('answers 401 without a token, in the API error envelope (gateway response)', async () => {
    const response = await callApi('POST', '/v1/documents', {
      body: exampleDocument('invoice-taxpayer.json'),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ success: false, error: 'Unauthorized', code: 'UNAUTHORIZED' });
  });

  it('issues a document, authorizes it, serves its XML and PDF, and hides it from other tenants', async () => {
    const issuer = await session(0, 'USER');
    const issued = await issuer.call('POST', '/v1/documents', {
      body: exampleDocument('invoice-taxpayer.json'),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(issued.status, issued.text).toBe(202);
    expect(issued.body).toMatchObject({
      success: true,
      data: { id: expect.any(String), status: expect.any(String) },
    });
    const id: string = issued.body.data.id;

    const final = await pollUntil(
      () => issuer.call('GET', `/v1/documents/${id}`),
      (response) => response.status !== 200 || FINAL_STATUSES.includes(response.body?.data?.status),
    );
    expect(final.status, final.text).toBe(200);
    expect(final.body.data.status, final.text).toBe('AUTHORIZED');
    expect(final.body.data.cufe).toMatch(/^FE\w+/);

    const xml = await issuer.call('GET', `/v1/documents/${id}/xml`);
    expect(xml.status, xml.text).toBe(200);
    const xmlDownload = await fetch(xml.body.data.url);
    expect(xmlDownload.status).toBe(200);
    const xmlText = await xmlDownload.text();
    expect(xmlText.startsWith('<?xml') || xmlText.includes('rFE')).toBe(true);
    expect(xmlText).toContain('rFE');

    const pdf = await issuer.call('GET', `/v1/documents/${id}/pdf`);
    expect(pdf.status, pdf.text).toBe(200);
    const pdfDownload = await fetch(pdf.body.data.url);
    expect(pdfDownload.status).toBe(200);
    expect(
      Buffer.from(await pdfDownload.arrayBuffer())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('%PDF');

    const outsider = await session(1, 'USER');
    const hidden = await outsider.call('GET', `/v1/documents/${id}`);
    expect(hidden.status, hidden.text).toBe(404);
  });

  it('e-mails the authorized document to the receiver (EventBridge → SQS → Lambda → SES)', async () => {
    const issuer = await session(0, 'USER');
    const issued = await issuer.call('POST', '/v1/documents', {
      body: exampleDocument('invoice-taxpayer.json'),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(issued.status, issued.text).toBe(202);
    const final = await pollUntil(
      () => issuer.call('GET', `/v1/documents/${issued.body.data.id}`),
      (response) => FINAL_STATUSES.includes(response.body?.data?.status),
    );
    expect(final.body?.data?.status, final.text).toBe('AUTHORIZED');
    const cufe: string = final.body.data.cufe;
    type Mail = { destination: { to: string[] }; subject: string; body: { text?: string; html?: string } };
    const mails = await pollUntil(
      async () =>
        ((await (await fetch(`${localStack().mailUrl}/store`)).json()) as { emails: Mail[] }).emails,
      (emails) => emails.some((mail) => JSON.stringify(mail.body).includes(cufe)),
      30_000,
    );
    const mail = mails.find((candidate) => JSON.stringify(candidate.body).includes(cufe));
    expect(mail?.destination.to).toContain('compras@ejemplo.com.pa');
  });

  it('replays a request with the same Idempotency-Key instead of issuing twice', async () => {
    const issuer = await session(0, 'USER');
    const key = randomUUID();
    const first = await issuer.call('POST', '/v1/documents', {
      body: exampleDocument('invoice-final-consumer.json'),
      headers: { 'idempotency-key': key },
    });
    expect(first.status, first.text).toBe(202);
    const second = await issuer.call('POST', '/v1/documents', {
      body: exampleDocument('invoice-final-consumer.json'),
      headers: { 'idempotency-key': key },
    });
    expect(second.body?.data?.id, second.text).toBe(first.body.data.id);
  });

  it('serves the API docs without a token and exposes the mail viewer', async () => {
    const { docsUrl, mailUrl } = localStack();
    expect((await fetch(docsUrl)).status).toBe(200);
    expect((await fetch(mailUrl)).status).toBe(200);
  });
});
