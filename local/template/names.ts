import { createHash } from 'node:crypto';
import { ACCOUNT_ID, REGION } from '../aws.ts';

/**
 * Physical names for resources the template leaves unnamed. CloudFormation appends a random suffix; we
 * derive a stable one from stack + logical id so names survive restarts (state in `.local/` stays
 * addressable) and stay within each service's length limit.
 */
export function generatedName(
  stackName: string,
  logicalId: string,
  { maxLength, lowercase = false }: { maxLength: number; lowercase?: boolean },
): string {
  const suffix = shortHash(`${stackName}/${logicalId}`, 8);
  let base = `${stackName}-${logicalId}`;
  if (lowercase) base = base.toLowerCase();
  base = base.replace(lowercase ? /[^a-z0-9-]/g : /[^A-Za-z0-9-_]/g, '-');
  const room = maxLength - suffix.length - 1;
  return `${base.slice(0, room).replace(/-+$/, '')}-${suffix}`;
}

export function shortHash(value: string, length: number): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

/** A UUID-shaped id derived from a seed (KMS key ids must look like UUIDs). */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const arn = {
  lambda: (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`,
  sqs: (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${name}`,
  table: (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${name}`,
  bucket: (name: string) => `arn:aws:s3:::${name}`,
  stateMachine: (name: string) => `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:${name}`,
  execution: (machine: string, name: string) =>
    `arn:aws:states:${REGION}:${ACCOUNT_ID}:execution:${machine}:${name}`,
  eventBus: (name: string) => `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/${name}`,
  rule: (bus: string, name: string) =>
    `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`,
  kmsKey: (id: string) => `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${id}`,
  kmsAlias: (name: string) => `arn:aws:kms:${REGION}:${ACCOUNT_ID}:${name}`,
  secret: (name: string) =>
    `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:${name}-${shortHash(name, 6)}`,
  userPool: (id: string) => `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${id}`,
  role: (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`,
  logGroup: (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${name}:*`,
  topic: (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${name}`,
};

/** The last `:`- or `/`-separated part of an ARN, or the value itself when it is already a name. */
export function nameFromArn(value: string): string {
  if (!value.startsWith('arn:')) return value;
  const afterColon = value.split(':').slice(6).join(':') || (value.split(':')[5] ?? value);
  const lastSlash = afterColon.lastIndexOf('/');
  return lastSlash >= 0 ? afterColon.slice(lastSlash + 1) : afterColon;
}

/** Name of a Lambda function from a name, a function ARN or a qualified ARN (`...:function:name:alias`). */
export function functionNameFromArn(value: string): string {
  const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(value);
  return match?.[1] ?? value;
}
