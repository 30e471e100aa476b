import { Duration } from 'aws-cdk-lib';
import { ArnPrincipal, type IRole, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The session tag that carries the tenant (shared/tenancy/tenant-sessions.ts TENANT_SESSION_TAG). */
export const TENANT_SESSION_TAG = 'tenantId';
/** The tenant of the calling session, as IAM policies read it. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, resolved by IAM per request
export const PRINCIPAL_TENANT = '${aws:PrincipalTag/tenantId}';

export interface TenantAccessRoleProps {
  /** The one execution role allowed to assume this role. */
  readonly executionRole: IRole;
  readonly description: string;
}

/**
 * The role a function assumes per tenant (STS AssumeRole with the session tag `tenantId`): every tenant-data
 * permission of the function lives here, conditioned on `${aws:PrincipalTag/tenantId}`, so credentials of
 * tenant A's session cannot reach tenant B's items, objects or keys whatever the code asks for.
 *
 * Trusted only by its function's execution role, and only for sessions tagged with exactly one tag,
 * `tenantId`, whose value is not a platform partition (`_…`, shared/data/keys.ts). The policy is inline
 * (one resource per role, not two) and filled by infra/constructs/grants.ts.
 */
export class TenantAccessRole extends Construct {
  readonly role: Role;
  private readonly policy = new PolicyDocument();

  constructor(scope: Construct, id: string, props: TenantAccessRoleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new ArnPrincipal(props.executionRole.roleArn)
        .withConditions({
          Null: { [`aws:RequestTag/${TENANT_SESSION_TAG}`]: 'false' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_SESSION_TAG] },
          StringNotLike: { [`aws:RequestTag/${TENANT_SESSION_TAG}`]: '_*' },
        })
        .withSessionTags(),
      description: props.description,
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: { TenantData: this.policy },
    });
    props.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AssumeTenantRole',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: [this.role.roleArn],
      }),
    );
  }

  addToPolicy(statement: PolicyStatement): void {
    this.policy.addStatements(statement);
  }
}
