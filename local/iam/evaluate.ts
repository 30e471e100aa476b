import { createValidatedPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './roles.ts';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** One authorization question, as IAM's request context puts it. */
export type IamRequest = {
  /** The calling principal, e.g. `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  principal: string;
  action: string;
  resource: string;
  /** Account that owns the resource. */
  accountId: string;
  /** Context keys of the request (`aws:PrincipalTag/tenantId`, `dynamodb:LeadingKeys`, …). */
  context: Record<string, string | string[]>;
};

export type PolicySet = {
  /** Identity policies of the principal's role. */
  identity: { name: string; policy: PolicyDocument }[];
  /** The resource's policy (a role's trust policy for sts:AssumeRole). */
  resource?: PolicyDocument;
};

/**
 * iam-simulate 0.1.173 validates context keys against AWS's service reference but matches a key with a
 * variable part only when the variable follows a `/` (`aws:PrincipalTag/x`), so it drops
 * `kms:EncryptionContext:<key>`: requests carrying such keys are evaluated by the same engine without the
 * validation step.
 */
const UNVALIDATED_CONTEXT_KEY = /^kms:encryptioncontext:/i;

function simulationOf(request: IamRequest, policies: PolicySet): Simulation {
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.accountId },
      contextVariables: request.context,
    },
    identityPolicies: policies.identity,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(policies.resource ? { resourcePolicy: policies.resource } : {}),
  };
}

/**
 * IAM's decision with iam-simulate's validated evaluation: the action must exist, the resource ARN must be of
 * a type the action takes and every context key must be one AWS sends for it (else this throws, so a
 * misspelled key can never make a test pass).
 */
export async function evaluate(request: IamRequest, policies: PolicySet): Promise<Decision> {
  const simulation = simulationOf(request, policies);
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(
      `iam-simulate refused ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`,
    );
  }
  const ignored =
    result.resultType === 'single'
      ? result.result.ignoredContextKeys
      : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  const unexpected = (ignored ?? []).filter((key) => !UNVALIDATED_CONTEXT_KEY.test(key));
  if (unexpected.length > 0) {
    throw new Error(`${request.action}: context keys ${unexpected.join(', ')} do not apply to this request`);
  }
  if ((ignored ?? []).length > 0) return evaluateUnvalidated(request, policies);
  return result.overallResult as Decision;
}

/**
 * The same engine without the validation step (synchronous, fast): for the local cloud's request path, whose
 * requests are built from real API calls, and for the context keys iam-simulate cannot validate.
 */
export function evaluateUnvalidated(request: IamRequest, policies: PolicySet): Decision {
  const simulation = simulationOf(request, policies);
  if (policies.resource) {
    // The unvalidated engine reads the resource policy's name from its metadata, which only a validated
    // policy object carries.
    simulation.resourcePolicy = createValidatedPolicy(policies.resource, validateResourcePolicy, {
      name: 'resource-policy',
    });
  }
  return runUnsafeSimulation(simulation, {}) as Decision;
}
