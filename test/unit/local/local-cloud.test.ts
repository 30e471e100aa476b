import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import { signInWithHostedUi } from '#local/hosted-ui/browser';
import { cognitoCall } from '#local/provision/cognito';
import { ensureDemoUsers } from '#local/seed/cognito-users';

const FIXTURE = fileURLToPath(new URL('./fixtures/assembly', import.meta.url));
const PASSWORD = 'Fixture-Passw0rd!';

// biome-ignore lint/suspicious/noExplicitAny: assertions walk loosely-typed JSON bodies
type Json = any;
const readJson = async (response: Response): Promise<Json> => response.json();

/**
 * The local cloud end to end against a hand-made cloud assembly (two stacks, cross-stack imports, an API, a
 * state machine with Retry/Catch and a Wait, an event rule to a queue with a partial-batch consumer and a DLQ).
 */
describe('local cloud on a fixture assembly', () => {
  let cloud: LocalCloud;
  let dataDir: string;
  const tokens: Record<string, string> = {};
  let totpSecrets: Record<string, string> = {};
  const hostedUi = () => ({
    hostedUiUrl: cloud.stack.cognito.hostedUiUrl,
    clientId: cloud.stack.cognito.clientId,
    redirectUri: cloud.stack.cognito.callbackUrls[0]!,
  });

  const api = (path: string, init: RequestInit & { user?: string } = {}) =>
    fetch(`${cloud.stack.apiUrl}${path}`, {
      ...init,
      headers: {
        ...(init.user ? { authorization: `Bearer ${tokens[init.user]}` } : {}),
        'content-type': 'application/json',
        ...(init.method === 'POST' ? { 'idempotency-key': crypto.randomUUID() } : {}),
        ...(init.headers as Record<string, string>),
      },
    });

  const poll = async <T>(
    read: () => Promise<T>,
    done: (value: T) => boolean,
    timeoutMs = 20_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  // As a person with a browser: the hosted UI, password, then the authenticator code; the code traded with PKCE.
  const login = async (email: string) => {
    const { tokens: issued } = await signInWithHostedUi(hostedUi(), {
      username: email,
      password: PASSWORD,
      totpSecret: totpSecrets[email],
    });
    return issued.idToken!;
  };

  const clients = () => {
    const config = {
      region: 'us-east-1',
      credentials: { ...cloud.stack.credentials },
    };
    return {
      s3: new S3Client({ ...config, endpoint: cloud.stack.endpoints.s3, forcePathStyle: true }),
      sqs: new SQSClient({ ...config, endpoint: cloud.stack.endpoints.sqs }),
      events: new EventBridgeClient({ ...config, endpoint: cloud.stack.endpoints.eventBridge }),
    };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'factu-local-cloud-'));
    cloud = await startLocalCloud({
      dataDir,
      ports: 'auto',
      fastRetries: true,
      assemblyDir: FIXTURE,
      seed: false,
      sesSandbox: { verifiedIdentities: ['fixture.example.com', 'admin@a.example.com'] },
    });
    totpSecrets = await ensureDemoUsers(
      cloud.stack.cognito.endpoint,
      cloud.stack.cognito.userPoolId,
      [
        { email: 'admin@a.example.com', password: PASSWORD, role: 'ADMIN', tenantId: 'tenant-a' },
        { email: 'user@b.example.com', password: PASSWORD, role: 'USER', tenantId: 'tenant-b' },
      ],
      hostedUi(),
    );
    await cognitoCall(cloud.stack.cognito.endpoint, 'AdminAddUserToGroup', {
      UserPoolId: cloud.stack.cognito.userPoolId,
      Username: 'admin@a.example.com',
      GroupName: 'USER',
    });
    tokens.a = await login('admin@a.example.com');
    tokens.b = await login('user@b.example.com');
  }, 120_000);

  afterAll(async () => {
    await cloud?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves unauthenticated routes and answers like API Gateway for unknown ones', async () => {
    const docs = await api('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toBe('<html>docs</html>');
    expect(cloud.stack.docsUrl).toBe(`${cloud.stack.apiUrl}/docs`);

    const missing = await api('/v1/nothing-here');
    expect(missing.status).toBe(403);
    expect(await readJson(missing)).toEqual({ message: 'Missing Authentication Token' });

    const preflight = await api('/v1/documents', { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('signs in only as the template allows: no USER_PASSWORD_AUTH on the web client, TOTP set up at the first sign-in', async () => {
    expect(Object.keys(totpSecrets).sort()).toEqual(['admin@a.example.com', 'user@b.example.com']);
    const refused = cognitoCall(cloud.stack.cognito.endpoint, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: cloud.stack.cognito.clientId,
      AuthParameters: { USERNAME: 'admin@a.example.com', PASSWORD },
    });
    await expect(refused).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('USER_PASSWORD_AUTH flow not enabled for this client'),
    });
    const user = await cognitoCall<{ UserMFASettingList?: string[] }>(
      cloud.stack.cognito.endpoint,
      'AdminGetUser',
      {
        UserPoolId: cloud.stack.cognito.userPoolId,
        Username: 'admin@a.example.com',
      },
    );
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('rejects missing, forged and expired tokens with 401 {"message":"Unauthorized"}', async () => {
    const none = await api('/v1/whoami');
    expect(none.status).toBe(401);
    expect(await readJson(none)).toEqual({ message: 'Unauthorized' });

    expect((await api('/v1/whoami', { headers: { authorization: 'Bearer not.a.jwt' } })).status).toBe(401);

    // Correctly signed by cognito-local's key, right issuer, but expired.
    const keyFile = createRequire(import.meta.url)('cognito-local/lib/keys/cognitoLocal.private.json') as {
      pem: string;
    };
    const expired = await new SignJWT({ token_use: 'id', 'custom:tenantId': 'tenant-a', sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
      .setIssuer(`${cloud.stack.cognito.endpoint}/${cloud.stack.cognito.userPoolId}`)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(createPrivateKey(keyFile.pem));
    expect((await api('/v1/whoami', { headers: { authorization: expired } })).status).toBe(401);
  });

  it('runs the template’s Lambda authorizer, hands its context to the handler, and runs it with the resolved template environment', async () => {
    const response = await api('/prod/v1/whoami?x=1&x=2', { user: 'a' });
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(body.authorizer).toEqual({
      sub: expect.any(String),
      principalId: body.authorizer.sub,
      tenantId: 'tenant-a',
      groups: 'ADMIN,USER',
      email: 'admin@a.example.com',
    });
    expect(body.env.TABLE_NAME).toBe(cloud.stack.resources.tables[0]);
    expect(body.env.tableAtLoad).toBe(body.env.TABLE_NAME);
    expect(body.env.ISSUING_STATE_MACHINE_ARN).toBe(cloud.stack.resources.stateMachines[0]);
    expect(body.env.DATA_KEY_ID).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
    expect(body.env.PLATFORM_SECRET_ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:/);
    expect(body.env.HKA_DEMO_ENDPOINT).toBe(cloud.stack.hkaSandboxUrl);
    expect(body.env.SUB_EXAMPLE).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: `${!Literal}` is Fn::Sub's escape, kept literally
      'us-east-1|fixture-bus|arn:aws:events:us-east-1:000000000000:event-bus/fixture-bus|${Literal}',
    );
    expect(body.env.SELECT_EXAMPLE).toBe('b');
    expect(body.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(cloud.stack.endpoints.dynamodb);
    expect(body.context.functionName).toBe(body.env.AWS_LAMBDA_FUNCTION_NAME);
    expect(body.context.remaining).toBeGreaterThan(0);
    expect(body.event).toMatchObject({
      path: '/v1/whoami',
      resource: '/v1/whoami',
      query: { x: '2' },
      multiQuery: { x: ['1', '2'] },
    });
    expect(response.headers.get('x-amzn-requestid')).toBe(body.event.requestId);
  });

  it('validates required request parameters after the authorizer, like the API Gateway request validator', async () => {
    const unauthenticated = await api('/v1/documents', {
      method: 'POST',
      headers: { 'idempotency-key': '' },
    });
    expect(unauthenticated.status).toBe(401);
    const response = await fetch(`${cloud.stack.apiUrl}/v1/documents`, {
      method: 'POST',
      headers: { authorization: tokens.a!, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await readJson(response)).toEqual({
      message: 'Missing required request parameters: [Idempotency-Key]',
    });
  });

  it('runs the state machine through transient retries to AUTHORIZED, publishes the event, and consumes it', async () => {
    const issued = await api('/v1/documents', {
      method: 'POST',
      user: 'a',
      body: JSON.stringify({ failTimes: 2 }),
    });
    expect(issued.status).toBe(202);
    const { data } = await readJson(issued);
    expect(data.sameExecution).toBe(true);

    const document = await poll(
      async () => (await readJson(await api(`/v1/documents/${data.id}`, { user: 'a' }))).data,
      (value) => value.status !== 'RECEIVED',
    );
    expect(document.status).toBe('AUTHORIZED');
    expect(document.cufe).toContain(data.id);
    const xml = await fetch(document.url);
    expect(xml.status).toBe(200);
    expect(await xml.text()).toContain('<rFE>');

    // Another tenant's user cannot see it: the handler scopes keys by the verified tenant claim.
    expect((await api(`/v1/documents/${data.id}`, { user: 'b' })).status).toBe(404);

    const { s3 } = clients();
    const consumed = await poll(
      () =>
        s3
          .send(
            new GetObjectCommand({
              Bucket: cloud.stack.resources.buckets[0],
              Key: `consumed/${data.id}.json`,
            }),
          )
          .then(async (object): Promise<Json> => JSON.parse(await object.Body!.transformToString()))
          .catch(() => undefined),
      (value) => value !== undefined,
    );
    expect(consumed.record).toMatchObject({
      eventSource: 'aws:sqs',
      body: {
        source: 'factu.documents',
        'detail-type': 'document.authorized',
        detail: { documentId: data.id },
      },
    });
  });

  it('routes a business rejection to the Catch branch with the error name and Lambda-shaped cause', async () => {
    const issued = await api('/v1/documents', {
      method: 'POST',
      user: 'a',
      body: JSON.stringify({ reject: true }),
    });
    const { data } = await readJson(issued);
    const document = await poll(
      async () => (await readJson(await api(`/v1/documents/${data.id}`, { user: 'a' }))).data,
      (value) => value.status !== 'RECEIVED',
    );
    expect(document.status).toBe('REJECTED');
    const [name, cause] = document.error.split(/\|(.*)/s);
    expect(name).toBe('HkaRejectedError');
    expect(JSON.parse(cause)).toMatchObject({
      errorType: 'HkaRejectedError',
      errorMessage: expect.stringContaining('RUC'),
    });
  });

  it('redrives messages a consumer keeps failing to the DLQ after maxReceiveCount', async () => {
    const { events, sqs } = clients();
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'fixture-bus',
            Source: 'factu.documents',
            DetailType: 'document.authorized',
            Detail: JSON.stringify({ documentId: 'poison-1' }),
          },
          { EventBusName: 'fixture-bus', Source: 'other', DetailType: 'x', Detail: '[1]' },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(1);
    expect(put.Entries?.[1]?.ErrorCode).toBe('MalformedDetail');
    const dlqUrl = `${cloud.stack.endpoints.sqs}/000000000000/${cloud.stack.resources.queues.find((name) => name.includes('EmailDlq'))}`;
    const dead = await poll(
      async () =>
        (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }))).Messages ?? [],
      (messages) => messages.length > 0,
    );
    expect(JSON.parse(dead[0]!.Body!).detail.documentId).toBe('poison-1');
  });

  it('fires schedule rules on demand with their constant input', async () => {
    const { sqs } = clients();
    expect(cloud.fireSchedules()).toBe(1);
    const folioUrl = `${cloud.stack.endpoints.sqs}/000000000000/${cloud.stack.resources.queues.find((name) => name.includes('FolioQueue'))}`;
    const messages = await poll(
      async () =>
        (await sqs.send(new ReceiveMessageCommand({ QueueUrl: folioUrl, WaitTimeSeconds: 1 }))).Messages ??
        [],
      (received) => received.length > 0,
    );
    expect(JSON.parse(messages[0]!.Body!)).toEqual({ kind: 'sync-folios' });
  });

  it('behaves like an SES sandbox account when asked: unverified recipients are refused at the SES API', async () => {
    const ses = new SESv2Client({
      region: 'us-east-1',
      endpoint: cloud.stack.endpoints.sesv2,
      credentials: { ...cloud.stack.credentials },
    });
    const send = (to: string) =>
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'no-reply@fixture.example.com',
          Destination: { ToAddresses: [to] },
          Content: { Simple: { Subject: { Data: 'x' }, Body: { Text: { Data: 'y' } } } },
        }),
      );

    await expect(send('someone@unverified.example')).rejects.toMatchObject({
      name: 'MessageRejected',
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: someone@unverified.example',
    });
    await expect(send('admin@a.example.com')).resolves.toMatchObject({ MessageId: expect.any(String) });
    ses.destroy();
  });

  it('keeps state across a restart of the same data directory', async () => {
    const issued = await api('/v1/documents', { method: 'POST', user: 'b', body: '{}' });
    const { data } = await readJson(issued);
    await poll(
      async () => (await readJson(await api(`/v1/documents/${data.id}`, { user: 'b' }))).data,
      (value) => value.status === 'AUTHORIZED',
    );
    const before = cloud.stack;
    await cloud.stop();
    cloud = await startLocalCloud({
      dataDir,
      ports: 'auto',
      fastRetries: true,
      assemblyDir: FIXTURE,
      seed: false,
    });
    expect(cloud.stack.cognito.userPoolId).toBe(before.cognito.userPoolId);
    expect(cloud.stack.cognito.clientId).toBe(before.cognito.clientId);
    tokens.b = await login('user@b.example.com');
    const after = await readJson(await api(`/v1/documents/${data.id}`, { user: 'b' }));
    expect(after.data.status).toBe('AUTHORIZED');
    expect(await (await fetch(after.data.url)).text()).toContain('<rFE>');
  }, 60_000);

  it('forgets everything with reset', async () => {
    const before = cloud.stack;
    await cloud.stop();
    cloud = await startLocalCloud({ dataDir, reset: true, ports: 'auto', assemblyDir: FIXTURE, seed: false });
    expect(cloud.stack.cognito.userPoolId).not.toBe(before.cognito.userPoolId);
    const dynamo = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: cloud.stack.endpoints.dynamodb,
      credentials: { ...cloud.stack.credentials },
    });
    const { Count } = await dynamo.send(
      new ScanCommand({ TableName: cloud.stack.resources.tables[0], Select: 'COUNT' }),
    );
    expect(Count).toBe(0);
  }, 60_000);
});
