import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, CREDENTIALS } from '#local/aws';
import { type S3Local, startS3Local } from '#local/emulators/s3';
import type { RoleModel } from '#local/iam/roles';
import { s3Access, TenantGuard } from '#local/iam/tenant-guard';
import { freePort } from '#local/ports';
import { type StsSession, StsSessions } from '#local/standins/sts';
import { signS3Request } from './s3-signing.ts';

const BUCKET = 'documents';
const tenantVariable = ['$', '{aws:PrincipalTag/tenantId}'].join('');

/** A role allowed to list its tenant's prefix only (what a policy on `s3:prefix` would look like). */
const lister: RoleModel = {
  arn: `arn:aws:iam::${ACCOUNT_ID}:role/lister-tenant`,
  name: 'lister-tenant',
  logicalId: 'ListerTenantAccessRole',
  trustPolicy: { Statement: [] },
  policies: [
    {
      name: 'TenantListing',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:ListBucket'],
            Resource: [`arn:aws:s3:::${BUCKET}`],
            Condition: { StringLike: { 's3:prefix': [`tenants/${tenantVariable}/*`] } },
          },
        ],
      },
    },
  ],
};
/** A tenant role as the template writes them: objects of its tenant, no listing at all. */
const reader: RoleModel = {
  ...lister,
  arn: `arn:aws:iam::${ACCOUNT_ID}:role/reader-tenant`,
  name: 'reader-tenant',
  policies: [
    {
      name: 'TenantObjects',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: [`arn:aws:s3:::${BUCKET}/tenants/${tenantVariable}/*`],
          },
        ],
      },
    },
  ],
};

describe('the local S3 authenticates every request and never lists across tenants', () => {
  let s3: S3Local;
  let dir: string;
  let admin: S3Client;
  const sessions = new StsSessions();
  const guard = new TenantGuard(
    () =>
      new Map([
        [lister.arn, lister],
        [reader.arn, reader],
      ]),
  );
  const clientFor = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new S3Client({ region: 'us-east-1', endpoint: s3.url, forcePathStyle: true, credentials });
  const sessionClient = (session: StsSession) =>
    clientFor({
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
    });
  const errorOf = async (response: Response) => {
    const text = await response.text();
    return { status: response.status, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] };
  };
  const refusalOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'allowed',
      (error: { name: string }) => error.name,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'factu-s3-auth-'));
    s3 = await startS3Local({
      port: await freePort(),
      directory: dir,
      sessions: {
        lookup: (accessKeyId) => sessions.lookup(accessKeyId),
        refusal: (session, { method, path, query }) =>
          guard.refusal(session, [s3Access(method, path, query)]),
      },
    });
    admin = clientFor({ ...CREDENTIALS });
    await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const key of [
      'tenants/a/documents/1/rfe.xml',
      'tenants/a-2/documents/2/rfe.xml',
      'tenants/b/x.json',
    ]) {
      await admin.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    }
  });

  afterAll(async () => {
    admin.destroy();
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses anonymous requests (reads, listings, uploads) with AccessDenied, and stores nothing', async () => {
    // Act
    const read = await fetch(`${s3.url}/${BUCKET}/tenants/a/documents/1/rfe.xml`);
    const list = await fetch(`${s3.url}/${BUCKET}?list-type=2`);
    const upload = await fetch(`${s3.url}/${BUCKET}/tenants/a/planted.txt`, { method: 'PUT', body: 'x' });

    // Assess
    for (const response of [read, list, upload]) {
      expect(await errorOf(response)).toEqual({ status: 403, code: 'AccessDenied' });
    }
    const planted = await refusalOf(
      admin.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'tenants/a/planted.txt' })),
    );
    expect(planted).toBe('NoSuchKey');
  });

  it('verifies header signatures: unknown key, another secret, an altered request, a skewed clock', async () => {
    // Prepare
    const url = `${s3.url}/${BUCKET}/tenants/a/documents/1/rfe.xml`;
    const signed = await signS3Request(url, 'GET');

    // Act
    const good = await fetch(url, { headers: signed });
    const unknownKey = await fetch(url, {
      headers: await signS3Request(
        url,
        'GET',
        {},
        { credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } },
      ),
    });
    const otherSecret = await fetch(url, {
      headers: await signS3Request(
        url,
        'GET',
        {},
        { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'guess' } },
      ),
    });
    const altered = await fetch(url.replace('/a/', '/b/'), { headers: signed });
    const skewed = await fetch(url, {
      headers: await signS3Request(url, 'GET', {}, { signingDate: new Date(Date.now() - 20 * 60_000) }),
    });

    // Assess
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('tenants/a/documents/1/rfe.xml');
    expect(await errorOf(unknownKey)).toEqual({ status: 403, code: 'InvalidAccessKeyId' });
    expect(await errorOf(otherSecret)).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await errorOf(altered)).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await errorOf(skewed)).toEqual({ status: 403, code: 'RequestTimeTooSkewed' });
  });

  it('serves presigned URLs of a known key, and refuses those of an unknown one', async () => {
    // Prepare
    const command = new GetObjectCommand({ Bucket: BUCKET, Key: 'tenants/a/documents/1/rfe.xml' });
    const known = await getSignedUrl(admin, command, { expiresIn: 60 });
    const stranger = clientFor({ accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' });
    const unknown = await getSignedUrl(stranger, command, { expiresIn: 60 });
    stranger.destroy();

    // Act
    const served = await fetch(known);
    const refused = await fetch(unknown);

    // Assess
    expect(served.status).toBe(200);
    expect(await errorOf(refused)).toEqual({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('lets the shared key pair list only within one tenant’s prefix', async () => {
    // Act
    const outcome = (Prefix?: string) =>
      admin.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix })).then(
        (listed) => (listed.Contents ?? []).map((object) => object.Key),
        (error: { name: string }) => error.name,
      );
    const [whole, allTenants, prefixSharing, oneTenant, versions, location] = await Promise.all([
      outcome(),
      outcome('tenants/'),
      outcome('tenants/a'),
      outcome('tenants/a/'),
      refusalOf(admin.send(new ListObjectVersionsCommand({ Bucket: BUCKET }))),
      refusalOf(admin.send(new GetBucketLocationCommand({ Bucket: BUCKET }))),
    ]);

    // Assess
    expect([whole, allTenants, prefixSharing, versions]).toEqual([
      'AccessDenied',
      'AccessDenied',
      'AccessDenied',
      'AccessDenied',
    ]);
    expect(oneTenant).toEqual(['tenants/a/documents/1/rfe.xml']);
    expect(location).toBe('allowed');
  });

  it('judges a tenant session’s listing with IAM and the request’s s3:prefix; the product’s roles may not list', async () => {
    // Prepare
    const listerA = sessionClient(sessions.issue(lister, 'a', { tenantId: 'a' }, 900));
    const readerA = sessionClient(sessions.issue(reader, 'a', { tenantId: 'a' }, 900));
    const list = (client: S3Client, Prefix?: string) =>
      refusalOf(client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix })));

    // Act
    const outcomes = await Promise.all([
      list(listerA, 'tenants/a/'),
      list(listerA, 'tenants/a-2/'),
      list(listerA),
      list(readerA, 'tenants/a/'),
      refusalOf(readerA.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'tenants/a/documents/1/rfe.xml' }))),
    ]);
    listerA.destroy();
    readerA.destroy();

    // Assess
    expect(outcomes).toEqual(['allowed', 'AccessDenied', 'AccessDenied', 'AccessDenied', 'allowed']);
  });
});
