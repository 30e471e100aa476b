import { ACCOUNT_ID } from '../aws.ts';
import type { StsSession } from '../standins/sts.ts';
import { resourcesOfType } from '../template/assembly.ts';
import type { TemplateResolver } from '../template/intrinsics.ts';
import { arn } from '../template/names.ts';
import { type Decision, evaluateUnvalidated } from './evaluate.ts';
import type { RoleModel } from './roles.ts';

/** A table's partition key attribute, and each GSI's, from the template. */
export type TableSchema = { arn: string; partitionKey: string; indexes: Map<string, string> };

/** One authorization question of a data request, with the request's condition keys IAM reads. */
export type DataAccess = {
  action: string;
  resource: string;
  leadingKeys?: string[];
  /** Service condition keys of the request, such as `s3:prefix` of a listing. */
  conditionKeys?: Record<string, string>;
};

/** Partition keys of the tables of the template, by physical table name. */
export function tableSchemasOf(resolver: TemplateResolver): Map<string, TableSchema> {
  const tables = new Map<string, TableSchema>();
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::DynamoDB::Table')) {
    const properties = resolver.resolve(resource.Properties ?? {}, stack) as {
      KeySchema?: { AttributeName: string; KeyType: string }[];
      GlobalSecondaryIndexes?: {
        IndexName: string;
        KeySchema: { AttributeName: string; KeyType: string }[];
      }[];
    };
    const hashOf = (schema?: { AttributeName: string; KeyType: string }[]) =>
      schema?.find((key) => key.KeyType === 'HASH')?.AttributeName ?? '';
    const name = resolver.physical(stack, logicalId).ref;
    tables.set(name, {
      arn: arn.table(name),
      partitionKey: hashOf(properties.KeySchema),
      indexes: new Map(
        (properties.GlobalSecondaryIndexes ?? []).map((gsi) => [gsi.IndexName, hashOf(gsi.KeySchema)]),
      ),
    });
  }
  return tables;
}

type AttributeValue = { S?: string; N?: string; B?: string };
type Item = Record<string, AttributeValue>;
type Body = Record<string, unknown>;

/**
 * What IAM authorizes for one DynamoDB call, as DynamoDB asks it: one question per item action (a
 * TransactWriteItems is authorized element by element as PutItem, UpdateItem, DeleteItem, ConditionCheckItem;
 * a TransactGetItems as GetItem), with the partition keys it touches as `dynamodb:LeadingKeys`.
 */
export function dynamoDbAccesses(
  operation: string,
  body: Body,
  tables: Map<string, TableSchema>,
): DataAccess[] {
  const table = (name: unknown) => tables.get(String(name));
  const keyOf = (name: unknown, item: unknown) => {
    const schema = table(name);
    const value = schema ? (item as Item | undefined)?.[schema.partitionKey] : undefined;
    return value?.S ?? value?.N ?? value?.B;
  };
  const single = (action: string, name: unknown, item: unknown): DataAccess => ({
    action,
    resource: table(name)?.arn ?? arn.table(String(name)),
    leadingKeys: [keyOf(name, item)].filter((key): key is string => key !== undefined),
  });
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [single(`dynamodb:${operation}`, body.TableName, body.Key)];
    case 'PutItem':
      return [single('dynamodb:PutItem', body.TableName, body.Item)];
    case 'Query':
      return [queryAccess(body, tables)];
    case 'BatchGetItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, { Keys?: Item[] }>).map(
        ([name, request]) => ({
          ...single('dynamodb:BatchGetItem', name, undefined),
          leadingKeys: (request.Keys ?? []).map((key) => keyOf(name, key) ?? ''),
        }),
      );
    case 'BatchWriteItem':
      return Object.entries(
        (body.RequestItems ?? {}) as Record<
          string,
          { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]
        >,
      ).map(([name, requests]) => ({
        ...single('dynamodb:BatchWriteItem', name, undefined),
        leadingKeys: requests.map(
          (request) => keyOf(name, request.PutRequest?.Item ?? request.DeleteRequest?.Key) ?? '',
        ),
      }));
    case 'TransactWriteItems':
      return (
        (body.TransactItems ?? []) as Record<string, { TableName: string; Key?: Item; Item?: Item }>[]
      ).map((element) => {
        const [kind, request] = Object.entries(element)[0] ?? ['', { TableName: '' }];
        const action = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
        }[kind];
        return single(`dynamodb:${action ?? kind}`, request.TableName, request.Item ?? request.Key);
      });
    case 'TransactGetItems':
      return ((body.TransactItems ?? []) as { Get: { TableName: string; Key: Item } }[]).map((element) =>
        single('dynamodb:GetItem', element.Get?.TableName, element.Get?.Key),
      );
    default:
      // Scans, table administration, PartiQL: no item keys; IAM decides on the action and the table alone.
      return [
        {
          action: `dynamodb:${operation}`,
          resource: table(body.TableName)?.arn ?? arn.table(String(body.TableName)),
        },
      ];
  }
}

/** The partition key a Query reads: `<pk> = :value` in KeyConditionExpression (or legacy KeyConditions). */
function queryAccess(body: Body, tables: Map<string, TableSchema>): DataAccess {
  const schema = tables.get(String(body.TableName));
  const index = typeof body.IndexName === 'string' ? body.IndexName : undefined;
  const partitionKey = index ? schema?.indexes.get(index) : schema?.partitionKey;
  const resource = `${schema?.arn ?? arn.table(String(body.TableName))}${index ? `/index/${index}` : ''}`;
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
  const resolveName = (token: string) => (token.startsWith('#') ? names[token] : token);
  let leadingKey: string | undefined;
  for (const part of String(body.KeyConditionExpression ?? '').split(/\s+and\s+/i)) {
    const match = /^\(?\s*([#\w.]+)\s*=\s*([:#\w.]+)\s*\)?$/.exec(part.trim());
    if (!match) continue;
    const [left, right] = [match[1]!, match[2]!];
    const [name, placeholder] = right.startsWith(':') ? [left, right] : [right, left];
    if (resolveName(name) === partitionKey) leadingKey = values[placeholder]?.S ?? values[placeholder]?.N;
  }
  const legacy = (
    body.KeyConditions as Record<string, { AttributeValueList?: AttributeValue[] }> | undefined
  )?.[partitionKey ?? ''];
  leadingKey ??= legacy?.AttributeValueList?.[0]?.S;
  // DynamoDB always knows a Query's partition key; an expression this front cannot read is not let through
  // unchecked: an empty key set would satisfy ForAllValues.
  return { action: 'dynamodb:Query', resource, leadingKeys: [leadingKey ?? '(unreadable key condition)'] };
}

/** What an S3 request (path-style) is authorized as. */
export function s3Access(method: string, path: string, query: URLSearchParams): DataAccess {
  const [, bucket = '', ...rest] = decodeURIComponent(path).split('/');
  const key = rest.join('/');
  if (!key) {
    if (method !== 'GET') return { action: `s3:${method}Bucket`, resource: arn.bucket(bucket) };
    // A listing is authorized with its prefix, which a policy can restrict (`s3:prefix`).
    return {
      action: 's3:ListBucket',
      resource: arn.bucket(bucket),
      conditionKeys: { 's3:prefix': query.get('prefix') ?? '' },
    };
  }
  const object = `${arn.bucket(bucket)}/${key}`;
  // The requests of a multipart upload are authorized as S3 documents them: Create, UploadPart and Complete
  // (POST ?uploads, PUT ?partNumber&uploadId, POST ?uploadId) as s3:PutObject; ListParts and Abort by their
  // own actions, which s3:GetObject / s3:DeleteObject do not imply.
  if (query.has('uploadId') && method === 'GET')
    return { action: 's3:ListMultipartUploadParts', resource: object };
  if (query.has('uploadId') && method === 'DELETE')
    return { action: 's3:AbortMultipartUpload', resource: object };
  if (method === 'GET' || method === 'HEAD') return { action: 's3:GetObject', resource: object };
  if (method === 'DELETE') return { action: 's3:DeleteObject', resource: object };
  if (query.has('tagging')) return { action: 's3:PutObjectTagging', resource: object };
  return { action: 's3:PutObject', resource: object };
}

/**
 * Enforces the tenant roles' IAM policies on requests signed with tenant-session credentials, with
 * iam-simulate on the synthesized policies: returns the AccessDenied message of the first access the
 * session's role does not allow, or undefined. Requests signed with the functions' own (shared, dummy) key
 * pair are not evaluated: locally every function and the seeder use one key pair, so which execution role
 * signed is unknown.
 */
export class TenantGuard {
  /** Decisions already taken (a burst repeats the same settings, counter and profile keys), bounded. */
  private readonly decisions = new Map<string, Decision>();

  constructor(private readonly roles: () => Map<string, RoleModel>) {}

  /**
   * IAM's message for the first access refused: an explicit Deny (the audit trail's, which no Allow undoes)
   * is named as one, as AWS names it.
   */
  refusal(session: StsSession, accesses: DataAccess[]): string | undefined {
    for (const access of accesses) {
      const decision = this.decide(session, access);
      if (decision === 'Allowed') continue;
      const refused = `User: ${session.assumedRoleArn} is not authorized to perform: ${access.action} on resource: ${access.resource}`;
      return decision === 'ExplicitlyDenied'
        ? `${refused} with an explicit deny in an identity-based policy`
        : `${refused} because no identity-based policy allows the ${access.action} action`;
    }
    return undefined;
  }

  private decide(session: StsSession, access: DataAccess): Decision {
    const key = JSON.stringify([session.roleArn, session.tags, access]);
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = this.evaluate(session, access);
      if (this.decisions.size >= 10_000) this.decisions.clear();
      this.decisions.set(key, decision);
    }
    return decision;
  }

  private evaluate(session: StsSession, access: DataAccess): Decision {
    const role = this.roles().get(session.roleArn);
    if (role === undefined) return 'ImplicitlyDenied';
    return evaluateUnvalidated(
      {
        principal: session.assumedRoleArn,
        action: access.action,
        resource: access.resource,
        accountId: ACCOUNT_ID,
        context: {
          ...Object.fromEntries(Object.entries(session.tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
          ...(access.leadingKeys ? { 'dynamodb:LeadingKeys': access.leadingKeys } : {}),
          ...access.conditionKeys,
        },
      },
      { identity: role.policies },
    );
  }
}
