import { describe, expect, it } from 'vitest';
import { sqsBilledRequests } from '../../../bench/cost/meters/aws-json';
import { hkaOperation } from '../../../bench/cost/meters/hka-front';
import { eventEntryBytes } from '../../../bench/cost/meters/runtime';
import { s3RequestKind, storedBytes } from '../../../bench/cost/meters/s3';

describe('S3 request classes', () => {
  const kind = (method: string, path: string, headers: Record<string, string> = {}) =>
    s3RequestKind({ method, path, headers });

  it('puts uploads, copies, posts and listings in the PUT class', () => {
    // Act & Assess
    expect(kind('PUT', '/docs/tenants/t/documents/d/cafe.pdf?x-id=PutObject')).toEqual({
      operation: 'PutObject',
      priceClass: 'put',
    });
    expect(kind('PUT', '/docs/a', { 'x-amz-copy-source': '/docs/b' }).operation).toBe('CopyObject');
    expect(kind('POST', '/docs?delete').priceClass).toBe('put');
    expect(kind('GET', '/docs?list-type=2&prefix=tenants/')).toEqual({
      operation: 'ListObjects',
      priceClass: 'put',
    });
  });

  it('puts object reads in the GET class, and deletes are free', () => {
    // Act & Assess
    expect(kind('GET', '/docs/tenants/t/input.json?x-id=GetObject')).toEqual({
      operation: 'GetObject',
      priceClass: 'get',
    });
    expect(kind('HEAD', '/docs/a').priceClass).toBe('get');
    expect(kind('DELETE', '/docs/a').priceClass).toBe('free');
  });

  it("counts an aws-chunked upload's decoded length as stored bytes", () => {
    // Act & Assess
    expect(
      storedBytes({ headers: { 'x-amz-decoded-content-length': '1234' }, body: Buffer.alloc(1400) }),
    ).toBe(1234);
    expect(storedBytes({ headers: {}, body: Buffer.alloc(99) })).toBe(99);
  });
});

describe('HKA operations', () => {
  it('names a call by its SOAP action, or the PAC reception by its path', () => {
    // Act & Assess
    expect(
      hkaOperation({
        path: '/ws/obj/v1.0/Service.svc',
        headers: { soapaction: '"http://tempuri.org/IService/Enviar"' },
      }),
    ).toBe('Enviar');
    expect(hkaOperation({ path: '/pac/recepcion', headers: {} })).toBe('RecepcionFE');
  });
});

describe('SQS and EventBridge billing units', () => {
  it('bills an SQS request per 64 KB chunk of its payload, a batch as one request', () => {
    // Act & Assess
    expect(sqsBilledRequests('SendMessage', { MessageBody: 'x'.repeat(70_000) })).toBe(2);
    expect(
      sqsBilledRequests('SendMessageBatch', { Entries: [{ MessageBody: '{}' }, { MessageBody: '{}' }] }),
    ).toBe(1);
    expect(sqsBilledRequests('ReceiveMessage', {})).toBe(1);
  });

  it("sizes an event entry like EventBridge: source, detail type, detail, resources and the time's 14 bytes", () => {
    // Act & Assess
    expect(
      eventEntryBytes({ Source: 'factu.documents', DetailType: 'document.authorized', Detail: '{"a":1}' }),
    ).toBe(14 + 15 + 19 + 7);
  });
});
