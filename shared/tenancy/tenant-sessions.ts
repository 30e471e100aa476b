import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/** Temporary credentials of one tenant-role session. */
export type SessionCredentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
};

/** What an AWS SDK v3 client accepts as `credentials`. */
export type CredentialsProvider = () => Promise<SessionCredentials>;

/** The session tag the tenant roles' policies read as `${aws:PrincipalTag/tenantId}`. */
export const TENANT_SESSION_TAG = 'tenantId';

/** Lifetime asked of STS: the default maximum session duration of a role. */
export const SESSION_SECONDS = 3600;

/**
 * Cached credentials are handed out only while they stay valid at least this long, so every request and
 * every presigned download URL (≤ 300 s) is signed with credentials that outlive it, clock skew included:
 * a presigned URL stops working when the credentials that signed it expire.
 */
export const MIN_REMAINING_MS = 10 * 60_000;

/** The SDK asks its credentials provider again this long before the expiration it was given. */
const SDK_REFRESH_LEAD_MS = 5 * 60_000;

/** Shown in CloudTrail as `assumed-role/<role>/tenant-<tenantId>`: who acted for whom. */
export function roleSessionName(tenantId: string): string {
  return `tenant-${tenantId}`;
}

export type AssumeTenantRole = (tenantId: string) => Promise<SessionCredentials>;

type TenantEntry = {
  session?: SessionCredentials;
  pending?: Promise<SessionCredentials>;
  clients: Map<string, unknown>;
};

/**
 * Per-tenant sessions and the SDK clients that sign with them, least recently used first out: at most
 * `maxTenants` tenants' credentials and clients are kept, so a warm function that serves many tenants keeps
 * a bounded number of client instances. One STS call per tenant per session lifetime, not per request.
 */
export class TenantSessions {
  private readonly entries = new Map<string, TenantEntry>();

  constructor(
    private readonly assume: AssumeTenantRole,
    private readonly maxTenants: number,
  ) {}

  /** The tenant's credentials: cached; renewed when less than MIN_REMAINING_MS is left; one STS call at a time. */
  credentials(tenantId: string): Promise<SessionCredentials> {
    const entry = this.entry(tenantId);
    if (entry.session && entry.session.expiration.getTime() - Date.now() >= MIN_REMAINING_MS) {
      return Promise.resolve(entry.session);
    }
    entry.pending ??= this.assume(tenantId)
      .then((session) => {
        entry.session = session;
        return session;
      })
      .finally(() => {
        entry.pending = undefined;
      });
    return entry.pending;
  }

  /**
   * One client per tenant and service, signing with the tenant's session. The expiration reported to the SDK
   * is moved earlier by MIN_REMAINING_MS − SDK_REFRESH_LEAD_MS, so the SDK asks for new credentials exactly
   * when this cache renews them.
   */
  client<C>(tenantId: string, service: string, create: (credentials: CredentialsProvider) => C): C {
    const entry = this.entry(tenantId);
    let client = entry.clients.get(service) as C | undefined;
    if (!client) {
      client = create(async () => {
        const session = await this.credentials(tenantId);
        const reported = session.expiration.getTime() - MIN_REMAINING_MS + SDK_REFRESH_LEAD_MS;
        return { ...session, expiration: new Date(reported) };
      });
      entry.clients.set(service, client);
    }
    return client;
  }

  /** How many tenants are cached (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private entry(tenantId: string): TenantEntry {
    let entry = this.entries.get(tenantId);
    if (entry) {
      // Map keeps insertion order: re-inserting marks the tenant as the most recently used.
      this.entries.delete(tenantId);
    } else {
      entry = { clients: new Map() };
    }
    this.entries.set(tenantId, entry);
    while (this.entries.size > this.maxTenants) {
      const oldest = this.entries.keys().next().value as string;
      // Evicted clients share their HTTP handler with the others (see tenant-clients.ts): dropping them
      // closes no socket another request may be using.
      this.entries.delete(oldest);
    }
    return entry;
  }
}

let sts: STSClient | undefined;

/** AssumeRole on the tenant role with the tenant as the one session tag (the trust policy requires it). */
export function assumeTenantRoleWithSts(roleArn: string): AssumeTenantRole {
  return async (tenantId) => {
    // The function's own credentials call STS (default configuration: `AWS_ENDPOINT_URL_STS` applies).
    sts ??= new STSClient({});
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: roleSessionName(tenantId),
        DurationSeconds: SESSION_SECONDS,
        Tags: [{ Key: TENANT_SESSION_TAG, Value: tenantId }],
      }),
    );
    const credentials = out.Credentials;
    if (
      !credentials?.AccessKeyId ||
      !credentials.SecretAccessKey ||
      !credentials.SessionToken ||
      !credentials.Expiration
    ) {
      throw new Error('STS AssumeRole returned no credentials');
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: new Date(credentials.Expiration),
    };
  };
}
