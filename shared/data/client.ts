import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '#shared/config/config';
import { tracer } from '#shared/observability/tracer';

let client: DynamoDBDocumentClient | undefined;

/**
 * One document client per process with default configuration, so `AWS_ENDPOINT_URL_DYNAMODB` (local cloud)
 * applies without any code path of our own. Undefined attributes are dropped rather than rejected because
 * optional fields of our items are simply absent.
 */
export function documentClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return client;
}

export function tableName(): string {
  return config().tableName;
}
