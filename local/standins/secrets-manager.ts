import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arn } from '../template/names.ts';
import { AwsServiceError, type JsonService, requireString } from './json-protocol.ts';

type SecretVersion = {
  versionId: string;
  stages: string[];
  createdDate: number;
  string?: string;
  binary?: string;
};
type Secret = {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  createdDate: number;
  deletedDate?: number;
  tags: Array<{ Key: string; Value: string }>;
  versions: SecretVersion[];
};

/** Secrets of the stand-in, persisted under `<dir>/secrets.json` (0600: they are secrets). */
export class SecretStore {
  private readonly file: string;
  private secrets: Secret[];

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    this.file = join(dir, 'secrets.json');
    this.secrets = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Secret[]) : [];
  }

  private save() {
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.secrets), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }

  /** By name, full ARN, or partial ARN (without the random suffix), like the real service. */
  find(secretId: string): Secret {
    const secret = this.secrets.find(
      (candidate) =>
        !candidate.deletedDate &&
        (candidate.name === secretId ||
          candidate.arn === secretId ||
          candidate.arn.startsWith(`${secretId}-`)),
    );
    if (!secret)
      throw new AwsServiceError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    return secret;
  }

  exists(name: string): boolean {
    return this.secrets.some((secret) => secret.name === name && !secret.deletedDate);
  }

  create(input: {
    Name: string;
    SecretString?: string;
    SecretBinary?: string;
    Description?: string;
    KmsKeyId?: string;
    Tags?: Secret['tags'];
    ClientRequestToken?: string;
  }): { secret: Secret; version?: SecretVersion } {
    if (this.exists(input.Name)) {
      throw new AwsServiceError(
        'ResourceExistsException',
        `The operation failed because the secret ${input.Name} already exists.`,
      );
    }
    this.secrets = this.secrets.filter((secret) => secret.name !== input.Name);
    const secret: Secret = {
      name: input.Name,
      arn: arn.secret(input.Name),
      description: input.Description,
      kmsKeyId: input.KmsKeyId,
      createdDate: Date.now() / 1000,
      tags: input.Tags ?? [],
      versions: [],
    };
    this.secrets.push(secret);
    const version =
      input.SecretString !== undefined || input.SecretBinary !== undefined
        ? this.putVersion(secret, input.SecretString, input.SecretBinary, input.ClientRequestToken)
        : undefined;
    this.save();
    return { secret, version };
  }

  putVersion(secret: Secret, string?: string, binary?: string, token?: string): SecretVersion {
    const versionId = token ?? randomUUID();
    const existing = secret.versions.find((version) => version.versionId === versionId);
    if (existing) {
      // Same token twice is an idempotent retry; with different content it is an error, as in AWS.
      if (existing.string === string && existing.binary === binary) return existing;
      throw new AwsServiceError(
        'ResourceExistsException',
        `A version with VersionId ${versionId} already exists.`,
      );
    }
    for (const version of secret.versions) {
      version.stages = version.stages.filter((stage) => stage !== 'AWSPREVIOUS');
      if (version.stages.includes('AWSCURRENT')) {
        version.stages = version.stages.filter((stage) => stage !== 'AWSCURRENT');
        version.stages.push('AWSPREVIOUS');
      }
    }
    const version: SecretVersion = {
      versionId,
      stages: ['AWSCURRENT'],
      createdDate: Date.now() / 1000,
      string,
      binary,
    };
    secret.versions.push(version);
    secret.versions = secret.versions.filter((candidate) => candidate.stages.length > 0);
    this.save();
    return version;
  }

  delete(secret: Secret, force: boolean): number {
    secret.deletedDate = Date.now() / 1000;
    if (force) this.secrets = this.secrets.filter((candidate) => candidate !== secret);
    this.save();
    return secret.deletedDate;
  }

  list(): Secret[] {
    return this.secrets.filter((secret) => !secret.deletedDate);
  }
}

/** Generates a value the way GenerateSecretString / GetRandomPassword do (subset of their options). */
export function randomPassword(options: {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludePunctuation?: boolean;
  IncludeSpace?: boolean;
}): string {
  let alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  if (!options.ExcludePunctuation) alphabet += '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
  if (options.IncludeSpace) alphabet += ' ';
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const characters = [...alphabet].filter((character) => !excluded.has(character));
  const length = options.PasswordLength ?? 32;
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => characters[byte % characters.length]).join('');
}

/** The Secrets Manager stand-in (target prefix `secretsmanager`). */
export function secretsManagerService(store: SecretStore): JsonService {
  const describe = (secret: Secret) => ({
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    CreatedDate: secret.createdDate,
    Tags: secret.tags,
    VersionIdsToStages: Object.fromEntries(
      secret.versions.map((version) => [version.versionId, version.stages]),
    ),
  });
  return {
    targetPrefix: 'secretsmanager',
    contentType: 'application/x-amz-json-1.1',
    operations: {
      CreateSecret: (input) => {
        const { secret, version } = store.create({
          ...(input as Parameters<SecretStore['create']>[0]),
          Name: requireString(input, 'Name'),
        });
        return { ARN: secret.arn, Name: secret.name, ...(version ? { VersionId: version.versionId } : {}) };
      },
      GetSecretValue: (input) => {
        const secret = store.find(requireString(input, 'SecretId'));
        const version = secret.versions.find((candidate) =>
          typeof input.VersionId === 'string'
            ? candidate.versionId === input.VersionId
            : candidate.stages.includes(String(input.VersionStage ?? 'AWSCURRENT')),
        );
        if (!version) {
          throw new AwsServiceError(
            'ResourceNotFoundException',
            "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
          );
        }
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.versionId,
          VersionStages: version.stages,
          CreatedDate: version.createdDate,
          ...(version.string !== undefined ? { SecretString: version.string } : {}),
          ...(version.binary !== undefined ? { SecretBinary: version.binary } : {}),
        };
      },
      PutSecretValue: (input) => {
        const secret = store.find(requireString(input, 'SecretId'));
        if (input.SecretString === undefined && input.SecretBinary === undefined) {
          throw new AwsServiceError(
            'InvalidParameterException',
            'You must provide either SecretString or SecretBinary.',
          );
        }
        const version = store.putVersion(
          secret,
          input.SecretString as string | undefined,
          input.SecretBinary as string | undefined,
          input.ClientRequestToken as string | undefined,
        );
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.versionId,
          VersionStages: version.stages,
        };
      },
      DescribeSecret: (input) => describe(store.find(requireString(input, 'SecretId'))),
      ListSecrets: () => ({ SecretList: store.list().map(describe) }),
      DeleteSecret: (input) => {
        const secret = store.find(requireString(input, 'SecretId'));
        const deletionDate = store.delete(secret, input.ForceDeleteWithoutRecovery === true);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: deletionDate };
      },
      GetRandomPassword: (input) => ({ RandomPassword: randomPassword(input as never) }),
    },
  };
}
