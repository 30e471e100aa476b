import { Fn } from 'aws-cdk-lib';

/**
 * Values the stateful stack exports for the stateless one, under fixed export names
 * (`<StatefulStackName>-<Key>`). Fixed names keep the stateless template readable (and the cdk-nag
 * acknowledgements of wildcard resources stable) instead of CDK's generated `ExportsOutput…` names.
 */
export const STATEFUL_EXPORTS = [
  'TableName',
  'TableArn',
  'DataKeyArn',
  'DocumentsBucketName',
  'DocumentsBucketArn',
  'WorkFilesBucketName',
  'WorkFilesBucketArn',
  'UserPoolId',
  'UserPoolArn',
  'PlatformSecretArn',
  'CursorSecretArn',
  'ApiKeyHashSecretArn',
  'MachineClientId',
  /** The hosted UI (the user pool's domain), where the web console signs in. */
  'HostedUiDomain',
] as const;

export type StatefulExport = (typeof STATEFUL_EXPORTS)[number];

/**
 * What the stateful stack exported while it held the web app client, which Factu-Api of that time imports
 * (its authorizer's client ids, the console's `config.json`). Exported again only for the first deploy of an
 * upgrade (`factu:keepStatefulWebClient`, docs/upgrading.md), under the same names; `importStateful` does not
 * take them, so no stack of this version can import them and the next deploy can delete them.
 */
export const PRE_MOVE_STATEFUL_EXPORTS = ['UserPoolClientIds', 'WebClientId'] as const;

export type PreMoveStatefulExport = (typeof PRE_MOVE_STATEFUL_EXPORTS)[number];

export function statefulExportName(
  statefulStackName: string,
  key: StatefulExport | PreMoveStatefulExport,
): string {
  return `${statefulStackName}-${key}`;
}

export function importStateful(statefulStackName: string, key: StatefulExport): string {
  return Fn.importValue(statefulExportName(statefulStackName, key));
}
