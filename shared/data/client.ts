import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '#shared/config/config';
import { tracer } from '#shared/observability/tracer';
import { type CredentialsProvider, scopedClient } from '#shared/tenancy/tenant-clients';

let own: DynamoDBClient | undefined;

/** The function's own client; tenant clients reuse its HTTP handler (one socket pool per process). */
function dynamoDbClient(credentials?: CredentialsProvider): DynamoDBClient {
  own ??= tracer.captureAWSv3Client(new DynamoDBClient({}));
  return credentials
    ? tracer.captureAWSv3Client(
        new DynamoDBClient({ credentials, requestHandler: own.config.requestHandler }),
      )
    : own;
}

/**
 * The document client of the current tenant scope (see shared/tenancy/tenant-scope.ts), with default
 * configuration so `AWS_ENDPOINT_URL_DYNAMODB` (local cloud) applies without any code path of our own.
 * Undefined attributes are dropped rather than rejected because optional fields of our items are simply
 * absent.
 */
export function documentClient(): DynamoDBDocumentClient {
  return scopedClient('dynamodb', (credentials) =>
    DynamoDBDocumentClient.from(dynamoDbClient(credentials), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
  );
}

let platformClient: DynamoDBDocumentClient | undefined;

/**
 * The function's own document client even inside a tenant scope: for the platform's bookkeeping items that
 * a tenant's work updates (the HKA circuit breaker), which IAM grants to the function's role by their exact
 * partition prefix. Never for a tenant's data.
 */
export function platformDocumentClient(): DynamoDBDocumentClient {
  platformClient ??= DynamoDBDocumentClient.from(dynamoDbClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return platformClient;
}

export function tableName(): string {
  return config().tableName;
}
