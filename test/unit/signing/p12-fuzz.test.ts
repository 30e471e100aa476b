/**
 * Damaged PKCS#12 files: whatever forge or node:crypto make of the bytes, loadP12 reports one of its own
 * errors, and the upload route answers 422 (CERTIFICATE_INVALID on `p12`, or the PIN's own code), never
 * a 500.
 *
 * A password-protected file has a MAC over everything: nearly any damage fails the MAC and reads as a
 * wrong PIN. To reach the parsers behind it (certificates, keys, dates), most variants damage a file
 * without MAC or encryption — the bytes forge and node:crypto then parse are the damaged ones.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import forge from 'node-forge';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as uploadCertificate } from '#functions/api/certificates/upload-certificate';
import {
  CertificateExpiredError,
  CertificateFormatError,
  CertificateNotYetValidError,
  CertificatePinError,
  CertificateRucMismatchError,
  loadP12,
  UnsupportedKeyTypeError,
} from '#shared/signing/p12';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { tenantProfile } from '#test/unit/app/fixtures';
import { apiEvent, lambdaContext, parseBody, principal, setTestEnv } from '#test/unit/app/helpers';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);

const RUC = tenantProfile.ruc;
const PIN = '4321';
const certificate = generateTestCertificate({ ruc: RUC, dv: tenantProfile.dv, name: tenantProfile.name });
const protectedP12 = certificate.toP12(PIN);
const plainP12 = (() => {
  const key = forge.pki.privateKeyFromPem(certificate.privateKeyPem);
  const leaf = forge.pki.certificateFromPem(certificate.certificatePem);
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [leaf], null, { useMac: false } as never);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
})();

const REPORTED = [
  CertificatePinError,
  CertificateExpiredError,
  CertificateNotYetValidError,
  CertificateRucMismatchError,
  CertificateFormatError,
  UnsupportedKeyTypeError,
];

/** Deterministic variants: every `step`-th byte inverted, replaced by a pseudo-random byte, or zeroed. */
function damaged(file: Buffer, step: number, seed: number): Buffer[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % 256;
  };
  const variants: Buffer[] = [];
  for (let at = 0; at < file.length; at += step) {
    for (const replace of [(b: number) => b ^ 0xff, () => random(), () => 0]) {
      const copy = Buffer.from(file);
      copy[at] = replace(copy[at]!);
      if (!copy.equals(file)) variants.push(copy);
    }
  }
  // Truncations: the file cut short anywhere.
  for (let length = 0; length < file.length; length += step * 7) variants.push(file.subarray(0, length));
  return variants;
}

type Outcome = 'loaded' | string;

function outcomeOf(file: Buffer, pin: string): Outcome {
  try {
    loadP12(file, pin, { expectedRuc: RUC });
    return 'loaded';
  } catch (error) {
    return REPORTED.some((reported) => error instanceof reported)
      ? (error as Error).name
      : `ESCAPED ${(error as Error).name}: ${(error as Error).message}`;
  }
}

function upload(p12: Buffer, pin: string) {
  return uploadCertificate(
    apiEvent({
      httpMethod: 'POST',
      headers: { 'Idempotency-Key': `k-${p12.length}-${p12[0]}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ p12: p12.toString('base64'), pin }),
      authorizer: principal({ roles: 'ADMIN' }),
    }),
    lambdaContext,
  );
}

beforeEach(() => {
  ddb.reset();
  kms.reset();
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => ({
    Item: input.Key.sk === 'PROFILE' ? tenantProfile : undefined,
  }));
  ddb.on(PutCommand).resolves({});
});

describe('loadP12 on damaged files', () => {
  it('reports only its own errors for hundreds of byte-damaged variants', () => {
    // Prepare
    const variants = [
      ...damaged(plainP12, 5, 17).map((file) => ({ file, pin: '' })),
      ...damaged(protectedP12, 37, 29).map((file) => ({ file, pin: PIN })),
    ];

    // Act
    const tally = new Map<Outcome, number>();
    for (const { file, pin } of variants) {
      const outcome = outcomeOf(file, pin);
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
    }

    // Assess
    console.log(`[p12 fuzz] ${variants.length} damaged files:`, Object.fromEntries(tally));
    expect(variants.length).toBeGreaterThan(1000);
    expect([...tally.keys()].filter((outcome) => outcome.startsWith('ESCAPED'))).toEqual([]);
    expect(tally.get('CertificateFormatError')).toBeGreaterThan(100);
  });

  it('refuses a file whose MAC asks for an absurd number of iterations before running them', () => {
    // Prepare: the MAC iteration count (the last INTEGER of the PFX) set to 2^31 - 1
    const pfx = forge.asn1.fromDer(protectedP12.toString('binary'));
    const macData = (pfx.value as forge.asn1.Asn1[])[2]!;
    (macData.value as forge.asn1.Asn1[])[2]!.value = '\x7f\xff\xff\xff';
    const file = Buffer.from(forge.asn1.toDer(pfx).getBytes(), 'binary');

    // Act
    const started = performance.now();
    const outcome = outcomeOf(file, PIN);

    // Assess
    expect(outcome).toBe('CertificateFormatError');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('POST /v1/certificates with a damaged file', () => {
  it('answers 422 CERTIFICATE_INVALID on p12 for files the parsers choke on, never a 500', async () => {
    // Prepare: damaged variants that are not usable, and garbage (the unprotected file ignores the PIN)
    const unreadable = damaged(plainP12, 11, 5)
      .filter((file) => outcomeOf(file, 'any') === 'CertificateFormatError')
      .slice(0, 40);
    const garbage = [Buffer.from('not a certificate at all, just text'), Buffer.alloc(64, 0x30)];

    // Act
    const responses = await Promise.all([...unreadable, ...garbage].map((file) => upload(file, 'any')));

    // Assess
    expect(unreadable.length).toBe(40);
    for (const response of responses) {
      expect(response.statusCode, response.body).toBe(422);
      const body = parseBody(response);
      expect(body.code).toBe('CERTIFICATE_INVALID');
      expect(body.details?.[0]?.path).toBe('p12');
    }
    expect(kms.calls()).toHaveLength(0);
  });

  it('a wrong PIN keeps its own code, on the pin field', async () => {
    // Act
    const response = await upload(protectedP12, 'wrong-pin');

    // Assess
    expect(response.statusCode).toBe(422);
    expect(parseBody(response)).toMatchObject({
      code: 'CERTIFICATE_PIN_INVALID',
      details: [{ path: 'pin', message: expect.any(String) }],
    });
  });
});
