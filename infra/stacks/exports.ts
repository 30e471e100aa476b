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

export function statefulExportName(statefulStackName: string, key: StatefulExport): string {
  return `${statefulStackName}-${key}`;
}

export function importStateful(statefulStackName: string, key: StatefulExport): string {
  return Fn.importValue(statefulExportName(statefulStackName, key));
}
