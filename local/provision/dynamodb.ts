import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { resourcesOfType } from '../template/assembly.ts';
import type { TemplateResolver } from '../template/intrinsics.ts';

type Properties = Record<string, unknown> & {
  KeySchema: CreateTableCommandInput['KeySchema'];
  AttributeDefinitions: CreateTableCommandInput['AttributeDefinitions'];
  GlobalSecondaryIndexes?: Array<Record<string, unknown>>;
  LocalSecondaryIndexes?: Array<Record<string, unknown>>;
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  StreamSpecification?: { StreamViewType: string };
};

/**
 * Creates the template's tables (`AWS::DynamoDB::Table` and the `GlobalTable` that `TableV2` synthesizes)
 * unless they exist (data persists in `.local/dynamodb`), with their GSIs, LSIs and TTL.
 */
export async function provisionTables(resolver: TemplateResolver, client: DynamoDBClient): Promise<string[]> {
  const names: string[] = [];
  for (const { stack, logicalId, resource } of resourcesOfType(
    resolver.stacks,
    'AWS::DynamoDB::Table',
    'AWS::DynamoDB::GlobalTable',
  )) {
    const name = resolver.physical(stack, logicalId).ref;
    const properties = resolver.resolve(resource.Properties ?? {}, stack) as Properties;
    names.push(name);
    if (await exists(client, name)) continue;
    // On-demand locally: throughput numbers mean nothing to DynamoDB Local and GlobalTable omits them.
    const projection = (index: Record<string, unknown>) => ({
      IndexName: index.IndexName as string,
      KeySchema: index.KeySchema as never,
      Projection: (index.Projection ?? { ProjectionType: 'ALL' }) as never,
    });
    const streamSpecification = properties.StreamSpecification
      ? { StreamEnabled: true, StreamViewType: properties.StreamSpecification.StreamViewType as never }
      : undefined;
    await client.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: properties.KeySchema,
        AttributeDefinitions: properties.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(properties.GlobalSecondaryIndexes?.length
          ? { GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes.map(projection) }
          : {}),
        ...(properties.LocalSecondaryIndexes?.length
          ? { LocalSecondaryIndexes: properties.LocalSecondaryIndexes.map(projection) }
          : {}),
        ...(streamSpecification ? { StreamSpecification: streamSpecification } : {}),
      }),
    );
    if (properties.TimeToLiveSpecification?.Enabled) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: {
            AttributeName: properties.TimeToLiveSpecification.AttributeName,
            Enabled: true,
          },
        }),
      );
    }
  }
  return names;
}

async function exists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
