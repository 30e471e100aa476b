import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { keys } from './keys.ts';
import { type TransactItem, writeTogether } from './transactions.ts';

export type Location = { code: string; province: string; district: string; corregimiento: string };

export type TenantProfile = {
  tenantId: string;
  ruc: string;
  dv: string;
  rucType: '1' | '2';
  name: string;
  tradeName?: string;
  emails?: string[];
  phones?: string[];
  /** The legal address (the head office's, branch `0000`); absent on tenants created before it was kept. */
  address?: string;
  location?: Location;
  /** The logo printed on the CAFEs we render; the image is the object `objectKey` (`tenantObjectKeys(t).logo`). */
  logo?: TenantLogo;
  createdAt: string;
  updatedAt?: string;
};

export type TenantLogo = {
  objectKey: string;
  contentType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  bytes: number;
  updatedAt: string;
};

export type IssuingSettings = {
  /** hka-integration: HKA builds and signs (`Enviar`); emitter-signed: we sign with the tenant's KMS key. */
  channel: 'hka-integration' | 'emitter-signed';
  /** Which HKA endpoint and credentials to use; also the rFE `iAmb` (demo → 2 pruebas, prod → 1). */
  environment: 'demo' | 'prod';
  lowFolioThreshold: number;
  defaultBranch: string;
  defaultPointOfSale: string;
  /** The CAFE layout of documents that name none (`cafeFormat`); on both channels. */
  cafeLayout: 'letter' | 'ticket';
  /** Every pre-flight warning refuses the document (422) like an error, on issuing and on validate. */
  promoteWarnings: boolean;
  /** Issuing in contingency (emitter-signed only): see shared/contingency/decision.ts. */
  contingency: ContingencySettings;
};

/**
 * Opt-in: when HKA has been unreachable for more than `afterMinutes`, new documents are issued in
 * contingency (tipoEmision 02), signed and delivered locally, and sent to HKA when it answers.
 */
export type ContingencySettings = { enabled: boolean; afterMinutes: number };

export const DEFAULT_ISSUING_SETTINGS: IssuingSettings = {
  channel: 'hka-integration',
  environment: 'demo',
  lowFolioThreshold: 50,
  defaultBranch: '0000',
  defaultPointOfSale: '001',
  cafeLayout: 'letter',
  promoteWarnings: false,
  contingency: { enabled: false, afterMinutes: 30 },
};

/** The ciphertext only; the plaintext tokens exist in memory for the duration of one HKA call. */
export type HkaCredentialsItem = {
  environment: 'demo' | 'prod';
  ciphertext: string;
  updatedAt: string;
};

export type SigningKeyRecord = {
  kmsKeyId: string;
  certificatePem: string;
  /** Certificate metadata, kept to list certificates and alert before expiry without parsing PEM. */
  subject?: string;
  notBefore?: string;
  notAfter?: string;
  fingerprintSha256?: string;
  createdAt: string;
};

const strip = <T extends Record<string, unknown>>(item: T | undefined) => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
};

async function getItem<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: tableName(), Key: key }));
  return strip(out.Item) as T | undefined;
}

/** `also`: writes that must happen with this one (its audit entry), in the same transaction. */
async function putItem(
  key: { pk: string; sk: string },
  value: object,
  also: readonly TransactItem[] = [],
): Promise<void> {
  await writeTogether({ Put: { TableName: tableName(), Item: { ...value, ...key } } }, also);
}

export const tenantsRepository = {
  getProfile: (tenantId: string) => getItem<TenantProfile>(keys.tenantProfile(tenantId)),

  async getIssuingSettings(tenantId: string): Promise<IssuingSettings> {
    const stored = await getItem<Partial<IssuingSettings>>(keys.issuingSettings(tenantId));
    return { ...DEFAULT_ISSUING_SETTINGS, ...stored };
  },
  putIssuingSettings: (tenantId: string, settings: IssuingSettings, also?: readonly TransactItem[]) =>
    putItem(keys.issuingSettings(tenantId), { ...settings, updatedAt: new Date().toISOString() }, also),

  getHkaCredentials: (tenantId: string, environment: 'demo' | 'prod') =>
    getItem<HkaCredentialsItem>(keys.hkaCredentials(tenantId, environment)),
  putHkaCredentials: (tenantId: string, item: HkaCredentialsItem, also?: readonly TransactItem[]) =>
    putItem(keys.hkaCredentials(tenantId, item.environment), item, also),

  getSigningKey: (tenantId: string) => getItem<SigningKeyRecord>(keys.signingKey(tenantId)),
  putSigningKey: (tenantId: string, record: SigningKeyRecord, also?: readonly TransactItem[]) =>
    putItem(keys.signingKey(tenantId), record, also),
  deleteSigningKey: (tenantId: string, also?: readonly TransactItem[]) =>
    writeTogether({ Delete: { TableName: tableName(), Key: keys.signingKey(tenantId) } }, also),

  async listRegisteredTenantIds(): Promise<string[]> {
    const { pk, skPrefix } = keys.tenantRegistry();
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
          ProjectionExpression: 'tenantId',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.tenantId));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  },
};
