import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { keys, ttlEpochSeconds } from './keys.ts';

/**
 * HKA's answer about a receiver RUC (ConsultarRucDV), kept so that a tenant invoicing the same customer
 * all day asks HKA once. Only definite answers are kept, never an outage.
 *
 * Per tenant (`T#<tenant>#RUC#<ruc>`) rather than platform-wide, although the DGI's answer is the same for
 * every tenant: requests read and write the table only through the tenant's IAM session, confined to the
 * tenant's own partition keys, so a shared partition would need the function's own, untenanted role on the
 * request path; and one tenant's answers (or its HKA environment's) can never become another's.
 */
export type RucVerification =
  | { registered: true; dv: string; name: string; affiliated: boolean; checkedAt: string; expiresAt: number }
  | { registered: false; reason: 'not-registered' | 'malformed'; checkedAt: string; expiresAt: number };

export type RucVerificationKey = {
  tenantId: string;
  environment: 'demo' | 'prod';
  rucType: '1' | '2';
  ruc: string;
};

/** A registered RUC stays registered: 30 days. */
export const REGISTERED_TTL_SECONDS = 30 * 24 * 60 * 60;
/** A company registers with the DGI and invoices the same week: a refusal is asked again the next day. */
export const NOT_REGISTERED_TTL_SECONDS = 24 * 60 * 60;

const keyOf = (k: RucVerificationKey) => keys.rucVerification(k.tenantId, k.environment, k.rucType, k.ruc);

export const rucVerificationsRepository = {
  /** The stored answer while it is fresh (TTL deletion is lazy: the expiry is checked here too). */
  async get(key: RucVerificationKey, now: Date): Promise<RucVerification | undefined> {
    const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keyOf(key) }));
    const item = out.Item as (RucVerification & { pk: string; sk: string }) | undefined;
    if (!item || item.expiresAt <= Math.floor(now.getTime() / 1000)) return undefined;
    const { pk: _pk, sk: _sk, ...verification } = item;
    return verification as RucVerification;
  },

  async put(
    key: RucVerificationKey,
    answer:
      | { registered: true; dv: string; name: string; affiliated: boolean }
      | { registered: false; reason: 'not-registered' | 'malformed' },
    now: Date,
  ): Promise<RucVerification> {
    const ttl = answer.registered ? REGISTERED_TTL_SECONDS : NOT_REGISTERED_TTL_SECONDS;
    const verification = {
      ...answer,
      checkedAt: now.toISOString(),
      expiresAt: ttlEpochSeconds(now, ttl),
    } as RucVerification;
    await documentClient().send(
      new PutCommand({ TableName: tableName(), Item: { ...verification, ...keyOf(key) } }),
    );
    return verification;
  },
};
