import { randomBytes, randomUUID } from 'node:crypto';
import { ACCOUNT_ID } from '../aws.ts';
import { type Decision, evaluateUnvalidated } from '../iam/evaluate.ts';
import type { RoleModel } from '../iam/roles.ts';

/** A session issued by the local STS: what the fronts need to know about a caller signing with its key. */
export type StsSession = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleArn: string;
  roleName: string;
  sessionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`, as IAM sees the caller. */
  assumedRoleArn: string;
  tags: Record<string, string>;
  expiresAt: number;
};

/** What a signed request's access key stands for. */
export type SessionLookup = { session: StsSession; expired: boolean } | undefined;

/**
 * Sessions issued by the local STS, by access key id, in memory (they last an hour at most; a restart of the
 * local cloud restarts the functions that hold them too). Expired sessions are forgotten an hour after expiry,
 * so a late request still gets ExpiredToken rather than an unknown key.
 */
export class StsSessions {
  private readonly byAccessKey = new Map<string, StsSession>();

  issue(role: RoleModel, sessionName: string, tags: Record<string, string>, seconds: number): StsSession {
    this.prune();
    const accessKeyId = `ASIA${randomBytes(12)
      .toString('base64url')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, 'X')
      .slice(0, 16)}`;
    const session: StsSession = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      roleArn: role.arn,
      roleName: role.name,
      sessionName,
      assumedRoleArn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role.name}/${sessionName}`,
      tags,
      expiresAt: Date.now() + seconds * 1000,
    };
    this.byAccessKey.set(accessKeyId, session);
    return session;
  }

  lookup(accessKeyId: string): SessionLookup {
    const session = this.byAccessKey.get(accessKeyId);
    return session ? { session, expired: session.expiresAt <= Date.now() } : undefined;
  }

  private prune(): void {
    const horizon = Date.now() - 3600_000;
    for (const [key, session] of this.byAccessKey)
      if (session.expiresAt < horizon) this.byAccessKey.delete(key);
  }
}

/** An STS error as the Query protocol encodes it. */
class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type QueryResponse = { status: number; xml: string };

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * The STS stand-in (AWS Query protocol, `AWS_ENDPOINT_URL_STS`): AssumeRole with session tags on the roles of
 * the synthesized template, refusing what STS refuses — unknown roles, malformed session names, durations
 * beyond the role's maximum, malformed tags — and evaluating the role's trust policy (and the caller's identity
 * policy) with iam-simulate. Local functions all sign with one dummy key pair, so the caller is taken to be
 * the role the trust policy names: what is enforced locally is the trust policy's conditions (the tenant tag
 * present, no other tag, no platform partition), not which function called.
 */
export function stsService(
  sessions: StsSessions,
  roles: () => Map<string, RoleModel>,
): (params: URLSearchParams) => QueryResponse {
  const operations: Record<string, (params: URLSearchParams) => string> = {
    AssumeRole: (params) => assumeRole(params, sessions, roles()),
    GetCallerIdentity: () =>
      `<GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT_ID}:user/local</Arn><UserId>local</UserId><Account>${ACCOUNT_ID}</Account></GetCallerIdentityResult>`,
  };
  return (params) => {
    const action = params.get('Action') ?? '';
    const requestId = randomUUID();
    try {
      const operation = operations[action];
      if (!operation)
        throw new StsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
      const result = operation(params);
      return {
        status: 200,
        xml: `<${action}Response xmlns="${NAMESPACE}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      };
    } catch (error) {
      if (!(error instanceof StsError)) throw error;
      return {
        status: error.status,
        xml: `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    }
  };
}

function assumeRole(params: URLSearchParams, sessions: StsSessions, roles: Map<string, RoleModel>): string {
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  if (!ROLE_ARN.test(roleArn)) throw new StsError('ValidationError', `${roleArn} is invalid`);
  if (!SESSION_NAME.test(sessionName)) {
    throw new StsError(
      'ValidationError',
      "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64",
    );
  }
  const tags = sessionTags(params);
  const role = roles.get(roleArn);
  const seconds = Number(params.get('DurationSeconds') ?? 3600);
  const maxSeconds = role ? maxSessionSeconds(role) : 3600;
  if (!Number.isInteger(seconds) || seconds < 900) {
    throw new StsError('ValidationError', 'DurationSeconds must be at least 900');
  }
  if (seconds > maxSeconds) {
    throw new StsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  const caller = role ? trustedCaller(role, roles) : undefined;
  const denied = (action: string) =>
    new StsError(
      'AccessDenied',
      `User: ${caller?.assumedRoleArn ?? 'local'} is not authorized to perform: ${action} on resource: ${roleArn}`,
      403,
    );
  if (!role || !caller) throw denied('sts:AssumeRole');
  const actions = Object.keys(tags).length > 0 ? ['sts:AssumeRole', 'sts:TagSession'] : ['sts:AssumeRole'];
  for (const action of actions) {
    if (trustDecision(role, caller, action, tags) !== 'Allowed') throw denied(action);
  }
  const session = sessions.issue(role, sessionName, tags, seconds);
  return [
    '<AssumeRoleResult>',
    `<Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId><SecretAccessKey>${session.secretAccessKey}</SecretAccessKey>`,
    `<SessionToken>${session.sessionToken}</SessionToken><Expiration>${new Date(session.expiresAt).toISOString()}</Expiration></Credentials>`,
    `<AssumedRoleUser><AssumedRoleId>AROA${role.logicalId.slice(0, 12).toUpperCase()}:${sessionName}</AssumedRoleId><Arn>${session.assumedRoleArn}</Arn></AssumedRoleUser>`,
    `<PackedPolicySize>${Object.keys(tags).length}</PackedPolicySize>`,
    '</AssumeRoleResult>',
  ].join('');
}

/** `Tags.member.N.Key` / `.Value`, with STS's limits (50 tags, key 1–128, value ≤ 256, keys unique). */
function sessionTags(params: URLSearchParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let index = 1; params.has(`Tags.member.${index}.Key`); index += 1) {
    const key = params.get(`Tags.member.${index}.Key`) ?? '';
    const value = params.get(`Tags.member.${index}.Value`) ?? '';
    if (key.length < 1 || key.length > 128 || value.length > 256) {
      throw new StsError('ValidationError', 'Tag keys must have 1 to 128 characters and values at most 256');
    }
    if (Object.keys(tags).some((existing) => existing.toLowerCase() === key.toLowerCase())) {
      throw new StsError('InvalidParameterValue', `Duplicate tag keys found: ${key}`);
    }
    tags[key] = value;
  }
  if (Object.keys(tags).length > 50) throw new StsError('ValidationError', 'At most 50 session tags');
  return tags;
}

function maxSessionSeconds(role: RoleModel): number {
  return role.maxSessionDuration ?? 3600;
}

/** The role the trust policy names (`Principal.AWS`), as the session that would call: see stsService. */
function trustedCaller(
  role: RoleModel,
  roles: Map<string, RoleModel>,
): { role: RoleModel; assumedRoleArn: string } | undefined {
  for (const statement of role.trustPolicy.Statement as { Principal?: { AWS?: unknown } }[]) {
    const principals = [statement.Principal?.AWS].flat().filter((p): p is string => typeof p === 'string');
    for (const principal of principals) {
      const caller = roles.get(principal);
      if (caller) {
        return {
          role: caller,
          assumedRoleArn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${caller.name}/local`,
        };
      }
    }
  }
  return undefined;
}

function trustDecision(
  role: RoleModel,
  caller: { role: RoleModel; assumedRoleArn: string },
  action: string,
  tags: Record<string, string>,
): Decision {
  return evaluateUnvalidated(
    {
      principal: caller.assumedRoleArn,
      action,
      resource: role.arn,
      accountId: ACCOUNT_ID,
      context: {
        ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
        'aws:TagKeys': Object.keys(tags),
      },
    },
    { identity: caller.role.policies, resource: role.trustPolicy },
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
