import { branchesRepository } from '#shared/data/branches';
import type { IssuerSnapshot } from '#shared/data/documents';
import { tenantsRepository } from '#shared/data/tenants';
import { ConflictError, ValidationError } from '#shared/errors';

/**
 * The issuer of a document: the tenant's taxpayer data plus the branch the document is issued from.
 * Never taken from the request body, so a client cannot issue in another taxpayer's name.
 */
export async function resolveIssuer(
  tenantId: string,
  branchCode: string,
  pointOfSale: string,
): Promise<IssuerSnapshot> {
  const [profile, branch, pos] = await Promise.all([
    tenantsRepository.getProfile(tenantId),
    branchesRepository.getBranch(tenantId, branchCode),
    branchesRepository.getPointOfSale(tenantId, branchCode, pointOfSale),
  ]);
  if (!profile) throw new ConflictError('The tenant has no issuer profile yet', 'TENANT_NOT_CONFIGURED');
  const violations = [];
  if (!branch)
    violations.push({ path: 'branch', message: `branch ${branchCode} does not exist; create it first` });
  else if (!pos) {
    violations.push({
      path: 'pointOfSale',
      message: `point of sale ${pointOfSale} does not exist in branch ${branchCode}; create it first`,
    });
  }
  if (violations.length > 0 || !branch) throw new ValidationError(violations);
  return {
    ruc: profile.ruc,
    dv: profile.dv,
    rucType: profile.rucType,
    name: profile.name,
    branchCode: branch.code,
    address: branch.address,
    coordinates: branch.coordinates,
    location: branch.location,
    phones: branch.phones,
    emails: branch.emails ?? profile.emails,
  };
}
