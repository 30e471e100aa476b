import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { consoleUploadOrigins, type FactuConfig } from '../config';
import { Data } from '../constructs/data';
import { DocumentsBucket } from '../constructs/documents-bucket';
import { Identity } from '../constructs/identity';
import { WorkFilesBucket } from '../constructs/work-files-bucket';
import { STATEFUL_EXPORTS, type StatefulExport, statefulExportName } from './exports';
import { keepPreMoveWebClient } from './pre-move-web-client';

export interface StatefulStackProps extends StackProps {
  readonly config: FactuConfig;
  /** The local cloud's console origin, when synthesized for it: it uploads batch CSVs too. */
  readonly localConsoleOrigin?: string;
  /**
   * Keep the web client this stack held before it moved to Factu-Api, with its exports, for the first deploy
   * of an upgrade (`factu:keepStatefulWebClient`, docs/upgrading.md).
   */
  readonly keepPreMoveWebClient?: boolean;
}

/**
 * Everything that holds data and must survive a redeploy of the code: the data key, the table, the
 * documents bucket, the user pool, the platform secret and the cursor secret. All RETAIN, with deletion protection where
 * the service offers it.
 */
export class StatefulStack extends Stack {
  readonly dataKey: Key;
  readonly table: Table;
  readonly documentsBucket: Bucket;
  readonly workFilesBucket: Bucket;
  readonly identity: Identity;
  readonly platformSecret: Secret;
  readonly cursorSecret: Secret;
  readonly apiKeyHashSecret: Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.dataKey = new Key(this, 'DataKey', {
      description: 'factu data encryption (table, documents bucket, platform secret, tenant HKA credentials)',
      alias: `alias/factu/${config.environmentName}/data`,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Data(this, 'Data', { encryptionKey: this.dataKey }).table;

    const documents = new DocumentsBucket(this, 'Documents', {
      encryptionKey: this.dataKey,
      objectLockMode: config.documents.objectLockMode,
      objectLockRetentionYears: config.documents.objectLockRetentionYears,
    });
    this.documentsBucket = documents.bucket;
    this.workFilesBucket = new WorkFilesBucket(this, 'WorkFiles', {
      encryptionKey: this.dataKey,
      accessLogsBucket: documents.accessLogsBucket,
      uploadOrigins: consoleUploadOrigins(config, props.localConsoleOrigin),
    }).bucket;

    this.identity = new Identity(this, 'Identity', {
      hostedUiDomainPrefix: config.auth.hostedUiDomainPrefix,
    });

    this.platformSecret = new Secret(this, 'PlatformSecret', {
      secretName: `factu/${config.environmentName}/platform`,
      description: 'Platform secrets of factu (qrHmacSecret: HMAC key of the CAFE QR URL)',
      encryptionKey: this.dataKey,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'qrHmacSecret',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.platformSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The QR HMAC secret is rotated by a planned manual procedure (new key id + dual verification window); automatic rotation would invalidate the QR codes of documents already issued.',
    });

    // The key that seals pagination cursors (shared/data/cursor.ts). A secret of its own: CloudFormation
    // generates one value per secret, and the platform secret's is the QR key operators replace.
    this.cursorSecret = new Secret(this, 'CursorSecret', {
      secretName: `factu/${config.environmentName}/cursor`,
      description: 'Key of factu (cursorSecret) that seals list pagination cursors to a tenant and a listing',
      encryptionKey: this.dataKey,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'cursorSecret',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The cursor key only seals pagination cursors valid for one listing; replacing it by hand at any time invalidates nothing but outstanding cursors (answered 400), so a rotation function would add cost and no protection.',
    });

    // The HMAC key API key secrets are stored and found by (shared/auth/api-key-secret.ts): a copy of the
    // table without it allows no offline guessing of keys.
    this.apiKeyHashSecret = new Secret(this, 'ApiKeyHashSecret', {
      secretName: `factu/${config.environmentName}/api-key-hash`,
      description: 'Key of factu (apiKeyHashSecret) of the HMAC that API key secrets are stored and found by',
      encryptionKey: this.dataKey,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'apiKeyHashSecret',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.apiKeyHashSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Every API key is found by the HMAC under this key: rotating it would revoke every key at once, so it is only replaced by hand in an incident (tenants then create new keys).',
    });

    const exported: Record<StatefulExport, string> = {
      TableName: this.table.tableName,
      TableArn: this.table.tableArn,
      DataKeyArn: this.dataKey.keyArn,
      DocumentsBucketName: this.documentsBucket.bucketName,
      DocumentsBucketArn: this.documentsBucket.bucketArn,
      WorkFilesBucketName: this.workFilesBucket.bucketName,
      WorkFilesBucketArn: this.workFilesBucket.bucketArn,
      UserPoolId: this.identity.userPool.userPoolId,
      UserPoolArn: this.identity.userPool.userPoolArn,
      PlatformSecretArn: this.platformSecret.secretArn,
      CursorSecretArn: this.cursorSecret.secretArn,
      ApiKeyHashSecretArn: this.apiKeyHashSecret.secretArn,
      // The API's authorizer accepts its tokens, besides the web client's (Factu-Api).
      MachineClientId: this.identity.machineClient.userPoolClientId,
      HostedUiDomain: this.identity.domain.baseUrl(),
    };
    for (const key of STATEFUL_EXPORTS) {
      new CfnOutput(this, key, { value: exported[key], exportName: statefulExportName(this.stackName, key) });
    }
    if (props.keepPreMoveWebClient) {
      keepPreMoveWebClient(this, this.identity, {
        callbackUrls: config.auth.callbackUrls,
        logoutUrls: config.auth.logoutUrls,
      });
    }
  }
}
