import { tenantsRepository } from '#shared/data/tenants';
import type { CafeLogo } from '#shared/fiscal/cafe-pdf/view';
import { getObjectBytes } from '#shared/storage/s3';

/**
 * The tenant's logo as the CAFE renderer takes it (checked when it was uploaded: ./profile-logo.ts), or
 * undefined when the tenant has none. Its own module so the pipeline does not bundle the profile API.
 */
export async function cafeLogoOf(tenantId: string): Promise<CafeLogo | undefined> {
  const profile = await tenantsRepository.getProfile(tenantId);
  if (!profile?.logo) return undefined;
  const data = await getObjectBytes(profile.logo.objectKey);
  return { data, width: profile.logo.width, height: profile.logo.height };
}
