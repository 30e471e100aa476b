import { resourcesOfType } from '../template/assembly.ts';
import type { TemplateResolver } from '../template/intrinsics.ts';

/** The identities (domains or addresses) the template verifies with `AWS::SES::EmailIdentity`. */
export function emailIdentities(resolver: TemplateResolver): string[] {
  return resourcesOfType(resolver.stacks, 'AWS::SES::EmailIdentity').map(({ stack, resource }) =>
    resolver.resolveString(resource.Properties?.EmailIdentity, stack),
  );
}
