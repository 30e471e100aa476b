import {
  AlreadyExistsError,
  type BranchRecord,
  branchesRepository,
  type PointOfSaleRecord,
} from '#shared/data/branches';
import { ConflictError, NotFoundError } from '#shared/errors';
import type { TenantContext } from './context.ts';
import { type BranchInput, createBranch, createPointOfSale, type PointOfSaleInput } from './provisioning.ts';

export async function addBranch(ctx: TenantContext, input: BranchInput): Promise<BranchRecord> {
  try {
    return await createBranch(ctx.tenantId, input, new Date(), ctx);
  } catch (error) {
    if (error instanceof AlreadyExistsError) {
      throw new ConflictError(`Branch ${input.code} already exists`, 'BRANCH_EXISTS');
    }
    throw error;
  }
}

export function listBranches(ctx: TenantContext): Promise<BranchRecord[]> {
  return branchesRepository.listBranches(ctx.tenantId);
}

/** Its number series starts at 0000000001 on first use and never restarts. */
export async function addPointOfSale(
  ctx: TenantContext,
  branchCode: string,
  input: PointOfSaleInput,
): Promise<PointOfSaleRecord> {
  if (!(await branchesRepository.getBranch(ctx.tenantId, branchCode))) {
    throw new NotFoundError(`Branch ${branchCode} not found`, 'BRANCH_NOT_FOUND');
  }
  try {
    return await createPointOfSale(ctx.tenantId, branchCode, input, new Date(), ctx);
  } catch (error) {
    if (error instanceof AlreadyExistsError) {
      throw new ConflictError(
        `Point of sale ${input.code} already exists in ${branchCode}`,
        'POINT_OF_SALE_EXISTS',
      );
    }
    throw error;
  }
}

export async function listPointsOfSale(ctx: TenantContext, branchCode: string): Promise<PointOfSaleRecord[]> {
  if (!(await branchesRepository.getBranch(ctx.tenantId, branchCode))) {
    throw new NotFoundError(`Branch ${branchCode} not found`, 'BRANCH_NOT_FOUND');
  }
  return branchesRepository.listPointsOfSale(ctx.tenantId, branchCode);
}
