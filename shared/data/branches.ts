import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';
import type { Location } from './tenants.ts';
import { type TransactItem, writeTogether } from './transactions.ts';

export type BranchRecord = {
  tenantId: string;
  /** `codigoSucursalEmisor` / `dSucEm`: 4 characters, `0000` = casa matriz. */
  code: string;
  name: string;
  branchType?: '1' | '2';
  address: string;
  coordinates: string;
  location: Location;
  phones: string[];
  emails?: string[];
  createdAt: string;
};

export type PointOfSaleRecord = {
  tenantId: string;
  branchCode: string;
  /** `puntoFacturacionFiscal` / `dPtoFacDF`: 3 digits, never `000`. */
  code: string;
  name?: string;
  createdAt: string;
};

export class AlreadyExistsError extends Error {
  override readonly name = 'AlreadyExistsError';
}

/** `also`: writes that must happen with this one (its audit entry), in the same transaction. */
async function putNew(
  key: { pk: string; sk: string },
  value: object,
  also: readonly TransactItem[] = [],
): Promise<void> {
  try {
    await writeTogether(
      {
        Put: {
          TableName: tableName(),
          Item: { ...value, ...key },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      also,
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new AlreadyExistsError(`${key.sk} already exists`);
    throw error;
  }
}

async function queryPrefix<T>(
  pk: string,
  prefix: string,
  filter?: (item: Record<string, unknown>) => boolean,
) {
  const out: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      if (filter && !filter(item)) continue;
      const { pk: _pk, sk: _sk, ...rest } = item;
      out.push(rest as T);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return out;
}

export const branchesRepository = {
  createBranch: (branch: BranchRecord, also?: readonly TransactItem[]) =>
    putNew(keys.branch(branch.tenantId, branch.code), branch, also),

  async getBranch(tenantId: string, code: string): Promise<BranchRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: keys.branch(tenantId, code) }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ...rest } = out.Item;
    return rest as BranchRecord;
  },

  listBranches(tenantId: string): Promise<BranchRecord[]> {
    const { pk, skPrefix } = keys.branchPrefix(tenantId);
    // Branch and point-of-sale items share the prefix; points of sale carry `branchCode`.
    return queryPrefix<BranchRecord>(pk, skPrefix, (item) => !('branchCode' in item));
  },

  createPointOfSale: (pos: PointOfSaleRecord, also?: readonly TransactItem[]) =>
    putNew(keys.pointOfSale(pos.tenantId, pos.branchCode, pos.code), pos, also),

  async getPointOfSale(
    tenantId: string,
    branchCode: string,
    code: string,
  ): Promise<PointOfSaleRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: keys.pointOfSale(tenantId, branchCode, code) }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ...rest } = out.Item;
    return rest as PointOfSaleRecord;
  },

  listPointsOfSale(tenantId: string, branchCode: string): Promise<PointOfSaleRecord[]> {
    const { pk, skPrefix } = keys.pointOfSalePrefix(tenantId, branchCode);
    return queryPrefix<PointOfSaleRecord>(pk, skPrefix);
  },
};
