// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS templates
import { describe, expect, it } from 'vitest';
import { type MethodSpec, matchRoute, restApiSpecs } from '#local/api/routes';
import type { StackTemplate } from '#local/template/assembly';
import { TemplateResolver } from '#local/template/intrinsics';

const stateful: StackTemplate = {
  stackName: 'app-stateful',
  assemblyDir: '/tmp',
  template: {
    Parameters: { Stage: { Type: 'String', Default: 'dev' } },
    Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] } },
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { TableName: { 'Fn::Sub': '${AWS::StackName}-data' } },
      },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    },
    Outputs: {
      TableArn: { Value: { 'Fn::GetAtt': ['Table', 'Arn'] }, Export: { Name: 'app-stateful:TableArn' } },
    },
  },
};
const stateless: StackTemplate = {
  stackName: 'app-stateless',
  assemblyDir: '/tmp',
  template: { Resources: {} },
};

describe('template resolver', () => {
  const resolver = new TemplateResolver([stateful, stateless], { sqsEndpoint: 'http://127.0.0.1:9324' });

  it('resolves Ref, GetAtt, Sub, Join, Select/Split, If and cross-stack ImportValue', () => {
    expect(resolver.resolve({ Ref: 'Table' }, stateful)).toBe('app-stateful-data');
    expect(resolver.resolve({ 'Fn::ImportValue': 'app-stateful:TableArn' }, stateless)).toBe(
      'arn:aws:dynamodb:us-east-1:000000000000:table/app-stateful-data',
    );
    const queueUrl = resolver.resolve({ Ref: 'Queue' }, stateful) as string;
    expect(queueUrl).toMatch(/^http:\/\/127\.0\.0\.1:9324\/000000000000\/app-stateful-Queue-[0-9a-f]{8}$/);
    expect(resolver.resolve({ 'Fn::GetAtt': 'Queue.QueueName' }, stateful)).toBe(queueUrl.split('/').pop());
    expect(
      resolver.resolve(
        { 'Fn::Join': ['/', [{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, 'x']] },
        stateful,
      ),
    ).toBe('us-east-1/000000000000/x');
    expect(resolver.resolve({ 'Fn::Select': [2, { 'Fn::Split': ['-', 'a-b-c'] }] }, stateful)).toBe('c');
    expect(resolver.resolve({ 'Fn::If': ['IsDev', 'yes', 'no'] }, stateful)).toBe('yes');
    expect(
      resolver.resolve({ list: ['a', { Ref: 'AWS::NoValue' }], drop: { Ref: 'AWS::NoValue' } }, stateful),
    ).toEqual({
      list: ['a'],
    });
    expect(resolver.resolve({ 'Fn::Sub': ['${A}-${!B}', { A: { Ref: 'Stage' } }] }, stateful)).toBe(
      'dev-${B}',
    );
  });

  it('uses runtime ids registered for resources created with generated ids', () => {
    resolver.setPhysical(stateful, 'Queue', { ref: 'override', attributes: { Arn: 'arn:x' } });
    expect(resolver.resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] }, stateful)).toBe('arn:x');
    expect(resolver.findByPhysical('arn:x')?.logicalId).toBe('Queue');
  });

  it('fails clearly on an import nobody exports', () => {
    expect(() => resolver.resolve({ 'Fn::ImportValue': 'nope' }, stateless)).toThrow(/no stack exports nope/);
  });
});

describe('an API whose methods reach functions of another stack by name', () => {
  // As the synthesized Factu-Api does: the URI is built from the function's fixed name, no ImportValue.
  const byName = (name: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':apigateway:',
        { Ref: 'AWS::Region' },
        ':lambda:path/2015-03-31/functions/arn:',
        { Ref: 'AWS::Partition' },
        ':lambda:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:function:${name}/invocations`,
      ],
    ],
  });
  const routes: StackTemplate = {
    stackName: 'app-routes-things',
    assemblyDir: '/tmp',
    template: {
      Resources: {
        GetThingFunctionA1B2C3D4: {
          Type: 'AWS::Lambda::Function',
          Properties: { FunctionName: 'factu-dev-GetThing', Handler: 'index.handler' },
        },
      },
    },
  };
  const api: StackTemplate = {
    stackName: 'app-api',
    assemblyDir: '/tmp',
    template: {
      Resources: {
        RestApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
        Things: {
          Type: 'AWS::ApiGateway::Resource',
          Properties: {
            RestApiId: { Ref: 'RestApi' },
            ParentId: { 'Fn::GetAtt': ['RestApi', 'RootResourceId'] },
            PathPart: 'things',
          },
        },
        GetThings: {
          Type: 'AWS::ApiGateway::Method',
          Properties: {
            RestApiId: { Ref: 'RestApi' },
            ResourceId: { Ref: 'Things' },
            HttpMethod: 'GET',
            AuthorizationType: 'NONE',
            Integration: {
              Type: 'AWS_PROXY',
              IntegrationHttpMethod: 'POST',
              Uri: byName('factu-dev-GetThing'),
            },
          },
        },
      },
    },
  };

  it('routes the method to the function of the other stack with that name', () => {
    // Prepare
    const resolver = new TemplateResolver([routes, api], { sqsEndpoint: 'http://127.0.0.1:9324' });

    // Act
    const [spec] = restApiSpecs(resolver);

    // Assess
    const functionName = resolver.physical(routes, 'GetThingFunctionA1B2C3D4').ref;
    expect(functionName).toBe('factu-dev-GetThing');
    expect(spec?.methods).toEqual([
      expect.objectContaining({
        httpMethod: 'GET',
        resourcePath: '/things',
        integration: { type: 'AWS_PROXY', functionName },
      }),
    ]);
  });
});

describe('API route matching', () => {
  const method = (httpMethod: string, resourcePath: string): MethodSpec => ({
    httpMethod,
    resourcePath,
    resourceId: resourcePath,
    authorizationType: 'NONE',
    integration: { type: 'AWS_PROXY', functionName: `${httpMethod} ${resourcePath}` },
  });
  const methods = [
    method('GET', '/v1/documents'),
    method('GET', '/v1/documents/{id}'),
    method('GET', '/v1/documents/events'),
    method('ANY', '/v1/{proxy+}'),
  ];

  it('prefers literal segments over parameters over greedy paths, and decodes parameters', () => {
    expect(matchRoute(methods, 'GET', '/v1/documents/events')?.method.resourcePath).toBe(
      '/v1/documents/events',
    );
    expect(matchRoute(methods, 'GET', '/v1/documents/a%20b')).toMatchObject({
      method: { resourcePath: '/v1/documents/{id}' },
      pathParameters: { id: 'a b' },
    });
    expect(matchRoute(methods, 'DELETE', '/v1/x/y')).toMatchObject({
      method: { resourcePath: '/v1/{proxy+}' },
      pathParameters: { proxy: 'x/y' },
    });
    expect(matchRoute(methods, 'POST', '/v1/documents')).toBeNull();
    expect(matchRoute(methods, 'GET', '/v2')).toBeUndefined();
  });
});
