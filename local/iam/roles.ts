import { resourcesOfType } from '../template/assembly.ts';
import type { TemplateResolver } from '../template/intrinsics.ts';

/** An IAM policy document with intrinsics resolved to local ARNs. */
export type PolicyDocument = { Version?: string; Statement: unknown[] };

/** A role of the synthesized template: its trust policy and every policy attached to it. */
export type RoleModel = {
  arn: string;
  name: string;
  logicalId: string;
  trustPolicy: PolicyDocument;
  /** `MaxSessionDuration` in seconds, when the template sets it (STS's default is 3600). */
  maxSessionDuration?: number;
  /** Inline policies of the role and `AWS::IAM::Policy` resources attached to it. */
  policies: { name: string; policy: PolicyDocument }[];
};

/** A Lambda function of the template with the roles it acts as. */
export type FunctionRoles = {
  /** `factu:entry` metadata: the handler file. */
  entry: string | undefined;
  logicalId: string;
  executionRoleArn: string;
  /** `TENANT_ROLE_ARN` of its environment, when the function touches tenant data. */
  tenantRoleArn: string | undefined;
};

/** Every `AWS::IAM::Role` of the assembly by ARN, with its policies resolved (what IAM would evaluate). */
export function rolesOf(resolver: TemplateResolver): Map<string, RoleModel> {
  const roles = new Map<string, RoleModel>();
  const byLogicalId = new Map<string, RoleModel>();
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::IAM::Role')) {
    const physical = resolver.physical(stack, logicalId);
    const properties = (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as {
      AssumeRolePolicyDocument?: PolicyDocument;
      MaxSessionDuration?: number;
      Policies?: { PolicyName: string; PolicyDocument: PolicyDocument }[];
    };
    const role: RoleModel = {
      arn: String(physical.attributes.Arn),
      name: physical.ref,
      logicalId,
      trustPolicy: properties.AssumeRolePolicyDocument ?? { Statement: [] },
      ...(properties.MaxSessionDuration ? { maxSessionDuration: Number(properties.MaxSessionDuration) } : {}),
      policies: (properties.Policies ?? []).map((p) => ({ name: p.PolicyName, policy: p.PolicyDocument })),
    };
    roles.set(role.arn, role);
    byLogicalId.set(`${stack.stackName}/${logicalId}`, role);
  }
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::IAM::Policy')) {
    const properties = resource.Properties as { PolicyDocument: unknown; Roles?: unknown[] };
    const document = resolver.resolve(properties.PolicyDocument, stack) as PolicyDocument;
    for (const reference of properties.Roles ?? []) {
      const ref = (reference as { Ref?: string }).Ref;
      const role = ref ? byLogicalId.get(`${stack.stackName}/${ref}`) : undefined;
      role?.policies.push({ name: logicalId, policy: document });
    }
  }
  return roles;
}

/** Every Lambda function's execution role and tenant role (ARNs as the local cloud resolves them). */
export function functionRolesOf(resolver: TemplateResolver): FunctionRoles[] {
  return resourcesOfType(resolver.stacks, 'AWS::Lambda::Function').map(({ stack, logicalId, resource }) => {
    const properties = resource.Properties ?? {};
    const environment = (resolver.resolve(
      (properties.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
      stack,
    ) ?? {}) as Record<string, unknown>;
    const entry = resource.Metadata?.['factu:entry'];
    return {
      entry: typeof entry === 'string' ? entry : undefined,
      logicalId,
      executionRoleArn: resolver.resolveString(properties.Role, stack),
      tenantRoleArn:
        typeof environment.TENANT_ROLE_ARN === 'string' ? environment.TENANT_ROLE_ARN : undefined,
    };
  });
}
