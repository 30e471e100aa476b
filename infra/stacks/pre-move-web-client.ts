import { Annotations, CfnOutput, Fn, type Stack } from 'aws-cdk-lib';
import { KEEP_STATEFUL_WEB_CLIENT_CONTEXT } from '../config';
import { type Identity, WebClient } from '../constructs/identity';
import { PRE_MOVE_STATEFUL_EXPORTS, type PreMoveStatefulExport, statefulExportName } from './exports';

export interface PreMoveWebClientProps {
  /** The client's redirect URLs as configured (`auth.callbackUrls` / `auth.logoutUrls`), as it had them. */
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
}

/**
 * The first deploy of an upgrade from an installation whose web app client lived in the stateful stack
 * (docs/upgrading.md). CloudFormation deploys this stack before Factu-Api and refuses to delete an export another
 * stack imports, and the installed Factu-Api imports the client's id through `WebClientId` and
 * `UserPoolClientIds`. So, for that one deploy, the stack keeps the client at the construct path it had
 * (`Identity/UserPool/WebClient`, hence the same logical id: CloudFormation keeps it rather than replacing it)
 * and both exports with their names and values, while Factu-Api switches to its own client and stops importing
 * them. The next deploy, without the setting, deletes client and exports.
 */
export function keepPreMoveWebClient(stack: Stack, identity: Identity, props: PreMoveWebClientProps): void {
  const client = new WebClient(identity.userPool, 'WebClient', { userPool: identity.userPool, ...props });
  const exported: Record<PreMoveStatefulExport, string> = {
    UserPoolClientIds: Fn.join(',', [client.userPoolClientId, identity.machineClient.userPoolClientId]),
    WebClientId: client.userPoolClientId,
  };
  for (const key of PRE_MOVE_STATEFUL_EXPORTS) {
    new CfnOutput(stack, key, { value: exported[key], exportName: statefulExportName(stack.stackName, key) });
  }
  Annotations.of(stack).addWarningV2(
    KEEP_STATEFUL_WEB_CLIENT_CONTEXT,
    `${KEEP_STATEFUL_WEB_CLIENT_CONTEXT} is set: this stack keeps the pre-move web client and its exports. Deploy once with it, then again without it (docs/upgrading.md).`,
  );
}
