import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer } from '#local/emulators/sqs';
import { startJsonProtocolServer } from '#local/standins/json-protocol';
import { SecretStore, secretsManagerService } from '#local/standins/secrets-manager';

describe('Secrets Manager stand-in', () => {
  let server: Server;
  let dir: string;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'factu-sm-'));
    server = await startJsonProtocolServer([secretsManagerService(new SecretStore(dir))], { port: 0 });
    client = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
  });

  afterAll(async () => {
    await closeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, reads by name or ARN, and rotates versions through staging labels', async () => {
    const created = await client.send(
      new CreateSecretCommand({ Name: 'platform/qr', SecretString: '{"v":1}' }),
    );
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:platform\/qr-[0-9a-f]{6}$/,
    );
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'platform/qr' }));
    expect(byName).toMatchObject({ SecretString: '{"v":1}', VersionStages: ['AWSCURRENT'] });

    const put = await client.send(
      new PutSecretValueCommand({ SecretId: created.ARN, SecretString: '{"v":2}' }),
    );
    const current = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(current.SecretString).toBe('{"v":2}');
    expect(current.VersionId).toBe(put.VersionId);
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: 'platform/qr', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('{"v":1}');
  });

  it('answers the service errors the SDK models', async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await client.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'a' }));
    await expect(
      client.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'b' })),
    ).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
  });
});
