import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { keys, ttlEpochSeconds } from './keys.ts';

/**
 * A receiver RUC HKA's ConsultarRucDV found registered at the DGI, kept so that a tenant invoicing the same
 * customer all day asks HKA once. Only registrations are kept: a refusal (not registered) blocks the
 * document, and the next attempt must ask again (the company may have just registered).
 *
 * Per tenant (`T#<tenant>#RUC#<ruc>`) rather than platform-wide, although the DGI's answer is the same for
 * every tenant: requests read and write the table only through the tenant's IAM session, confined to the
 * tenant's own partition keys, so a shared partition would need the function's own, untenanted role on the
 * request path; and one tenant's answers (or its HKA environment's) can never become another's.
 */
export type RucVerification = {
  dv: string;
  name: string;
  affiliated: boolean;
  checkedAt: string;
  /** TTL (epoch seconds). */
  expiresAt: number;
};

export type RucVerificationKey = {
  tenantId: string;
  environment: 'demo' | 'prod';
  rucType: '1' | '2';
  ruc: string;
};

/** A registered RUC stays registered; a month bounds how long a deregistration goes unnoticed. */
export const REGISTERED_TTL_SECONDS = 30 * 24 * 60 * 60;

const keyOf = (k: RucVerificationKey) => keys.rucVerification(k.tenantId, k.environment, k.rucType, k.ruc);

export const rucVerificationsRepository = {
  /** The stored answer while it is fresh (TTL deletion is lazy: the expiry is checked here too). */
  async get(key: RucVerificationKey, now: Date): Promise<RucVerification | undefined> {
    const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: keyOf(key) }));
    const item = out.Item as (RucVerification & { pk: string; sk: string }) | undefined;
    if (!item || item.expiresAt <= Math.floor(now.getTime() / 1000)) return undefined;
    const { pk: _pk, sk: _sk, ...verification } = item;
    return verification;
  },

  async put(
    key: RucVerificationKey,
    registration: { dv: string; name: string; affiliated: boolean },
    now: Date,
  ): Promise<void> {
    const item: RucVerification = {
      ...registration,
      checkedAt: now.toISOString(),
      expiresAt: ttlEpochSeconds(now, REGISTERED_TTL_SECONDS),
    };
    await documentClient().send(new PutCommand({ TableName: tableName(), Item: { ...item, ...keyOf(key) } }));
  },
};
