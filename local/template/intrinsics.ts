import { ACCOUNT_ID, REGION } from '../aws.ts';
import type { StackTemplate, TemplateResource } from './assembly.ts';
import { arn, generatedName, shortHash, stableUuid } from './names.ts';

/** What `Ref` and `Fn::GetAtt` return for a resource. */
export type Physical = { ref: string; attributes: Record<string, unknown> };

/** Marker for `AWS::NoValue`: removed from the enclosing object or array. */
const NO_VALUE = Symbol('AWS::NoValue');

export type ResolverOptions = {
  /** Base URL of the local SQS server: queue URLs are `<sqs>/<account>/<name>`. */
  sqsEndpoint: string;
};

/**
 * Resolves CloudFormation intrinsics against local physical names: the "deploy" step of the local cloud.
 * Names are deterministic (see names.ts); ids only known at runtime (a Cognito pool id) are registered with
 * `setPhysical` after the resource is created.
 */
export class TemplateResolver {
  private readonly overrides = new Map<string, Physical>();
  private exportsByName: Map<string, { stack: StackTemplate; value: unknown }> | undefined;

  constructor(
    readonly stacks: StackTemplate[],
    private readonly options: ResolverOptions,
  ) {}

  setPhysical(stack: StackTemplate, logicalId: string, physical: Physical): void {
    this.overrides.set(`${stack.stackName}/${logicalId}`, physical);
  }

  resource(stack: StackTemplate, logicalId: string): TemplateResource {
    const resource = stack.template.Resources?.[logicalId];
    if (!resource) throw new Error(`${stack.stackName}: no resource ${logicalId}`);
    return resource;
  }

  /** Finds the stack and logical id whose Ref (or Arn) equals a resolved value. */
  findByPhysical(
    value: string,
  ): { stack: StackTemplate; logicalId: string; resource: TemplateResource } | undefined {
    for (const stack of this.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        const physical = this.physical(stack, logicalId);
        if (physical.ref === value || physical.attributes.Arn === value)
          return { stack, logicalId, resource };
      }
    }
    return undefined;
  }

  physical(stack: StackTemplate, logicalId: string): Physical {
    const override = this.overrides.get(`${stack.stackName}/${logicalId}`);
    if (override) return override;
    return this.defaultPhysical(stack, logicalId, this.resource(stack, logicalId));
  }

  /** Resolves every intrinsic in `value` in the context of `stack`. */
  resolve(value: unknown, stack: StackTemplate): unknown {
    const resolved = this.walk(value, stack);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  resolveString(value: unknown, stack: StackTemplate): string {
    const resolved = this.resolve(value, stack);
    if (typeof resolved !== 'string') throw new Error(`expected a string, got ${JSON.stringify(resolved)}`);
    return resolved;
  }

  private walk(value: unknown, stack: StackTemplate): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.walk(item, stack)).filter((item) => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [key, argument] = entries[0]!;
      if (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')) {
        return this.intrinsic(key, argument, stack);
      }
    }
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.walk(item, stack);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private intrinsic(name: string, argument: unknown, stack: StackTemplate): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(String(argument), stack);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument)
          ? (argument as [string, string])
          : (String(argument).split(/\.(.*)/s) as [string, string]);
        return this.getAtt(stack, logicalId, String(this.walk(attribute, stack)));
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        const list = this.walk(parts, stack) as unknown[];
        return list.map((part) => String(part)).join(separator);
      }
      case 'Fn::Sub':
        return this.sub(argument, stack);
      case 'Fn::Select': {
        const [index, list] = argument as [unknown, unknown];
        const items = this.walk(list, stack) as unknown[];
        return items[Number(this.walk(index, stack))];
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, unknown];
        return String(this.walk(source, stack)).split(separator);
      }
      case 'Fn::ImportValue':
        return this.importValue(String(this.walk(argument, stack)));
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
        return this.condition(condition, stack) ? this.walk(whenTrue, stack) : this.walk(whenFalse, stack);
      }
      case 'Fn::Equals': {
        const [left, right] = argument as [unknown, unknown];
        return JSON.stringify(this.walk(left, stack)) === JSON.stringify(this.walk(right, stack));
      }
      case 'Fn::Not':
        return !this.walk((argument as unknown[])[0], stack);
      case 'Fn::And':
        return (argument as unknown[]).every((item) => this.walk(item, stack));
      case 'Fn::Or':
        return (argument as unknown[]).some((item) => this.walk(item, stack));
      case 'Condition':
        return this.condition(String(argument), stack);
      case 'Fn::FindInMap': {
        const [map, top, second] = (argument as unknown[]).map((item) => String(this.walk(item, stack)));
        return stack.template.Mappings?.[map!]?.[top!]?.[second!];
      }
      case 'Fn::GetAZs':
        return [`${REGION}a`, `${REGION}b`, `${REGION}c`];
      case 'Fn::Base64':
        return Buffer.from(String(this.walk(argument, stack))).toString('base64');
      case 'Fn::ToJsonString':
        return JSON.stringify(this.walk(argument, stack));
      case 'Fn::Length':
        return (this.walk(argument, stack) as unknown[]).length;
      default:
        throw new Error(`${stack.stackName}: intrinsic ${name} is not supported locally`);
    }
  }

  private condition(name: string, stack: StackTemplate): boolean {
    const definition = stack.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`${stack.stackName}: unknown condition ${name}`);
    return Boolean(this.walk(definition, stack));
  }

  private ref(name: string, stack: StackTemplate): unknown {
    switch (name) {
      case 'AWS::Region':
        return REGION;
      case 'AWS::AccountId':
        return ACCOUNT_ID;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/${stack.stackName}/${stableUuid(stack.stackName)}`;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    const parameter = stack.template.Parameters?.[name];
    if (parameter) return parameter.Default;
    return this.physical(stack, name).ref;
  }

  private getAtt(stack: StackTemplate, logicalId: string, attribute: string): unknown {
    const physical = this.physical(stack, logicalId);
    if (attribute in physical.attributes) return physical.attributes[attribute];
    // Unknown attributes resolve to a recognisable placeholder instead of failing the whole start: most of
    // them (log group ARNs, role ids) only matter to IAM, which the local cloud does not enforce.
    return `local:${logicalId}.${attribute}`;
  }

  private sub(argument: unknown, stack: StackTemplate): string {
    const [template, variables] = Array.isArray(argument)
      ? (argument as [string, Record<string, unknown>])
      : [String(argument), {}];
    const values = Object.fromEntries(
      Object.entries(variables ?? {}).map(([key, value]) => [key, this.walk(value, stack)]),
    );
    return template.replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, expression: string) => {
      if (literal) return `\${${expression}}`;
      if (expression in values) return String(values[expression]);
      const dot = expression.indexOf('.');
      if (dot > 0 && !expression.startsWith('AWS::')) {
        return String(this.getAtt(stack, expression.slice(0, dot), expression.slice(dot + 1)));
      }
      return String(this.ref(expression, stack));
    });
  }

  private importValue(name: string): unknown {
    if (!this.exportsByName) {
      this.exportsByName = new Map();
      for (const stack of this.stacks) {
        for (const output of Object.values(stack.template.Outputs ?? {})) {
          if (!output.Export) continue;
          const exportName = String(this.walk(output.Export.Name, stack));
          this.exportsByName.set(exportName, { stack, value: output.Value });
        }
      }
    }
    const found = this.exportsByName.get(name);
    if (!found) throw new Error(`Fn::ImportValue: no stack exports ${name}`);
    return this.walk(found.value, found.stack);
  }

  private nameProperty(
    stack: StackTemplate,
    resource: TemplateResource,
    property: string,
  ): string | undefined {
    const value = resource.Properties?.[property];
    return value === undefined ? undefined : String(this.walk(value, stack));
  }

  /** Ref and attributes per resource type, as CloudFormation documents them. */
  private defaultPhysical(stack: StackTemplate, logicalId: string, resource: TemplateResource): Physical {
    const named = (property: string, maxLength: number, lowercase = false) =>
      this.nameProperty(stack, resource, property) ??
      generatedName(stack.stackName, logicalId, { maxLength, lowercase });
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': {
        const name = named('TableName', 255);
        return {
          ref: name,
          attributes: {
            Arn: arn.table(name),
            StreamArn: `${arn.table(name)}/stream/1970-01-01T00:00:00.000`,
          },
        };
      }
      case 'AWS::S3::Bucket': {
        const name = named('BucketName', 63, true);
        return {
          ref: name,
          attributes: {
            Arn: arn.bucket(name),
            DomainName: `${name}.s3.amazonaws.com`,
            RegionalDomainName: `${name}.s3.${REGION}.amazonaws.com`,
          },
        };
      }
      case 'AWS::SQS::Queue': {
        const fifo = resource.Properties?.FifoQueue === true || resource.Properties?.FifoQueue === 'true';
        const name =
          this.nameProperty(stack, resource, 'QueueName') ??
          `${generatedName(stack.stackName, logicalId, { maxLength: fifo ? 75 : 80 })}${fifo ? '.fifo' : ''}`;
        const url = `${this.options.sqsEndpoint}/${ACCOUNT_ID}/${name}`;
        return { ref: url, attributes: { Arn: arn.sqs(name), QueueName: name, QueueUrl: url } };
      }
      case 'AWS::Lambda::Function': {
        const name = named('FunctionName', 64);
        return { ref: name, attributes: { Arn: arn.lambda(name) } };
      }
      case 'AWS::Lambda::Alias':
      case 'AWS::Lambda::Version': {
        const fn = String(this.walk(resource.Properties?.FunctionName, stack));
        return { ref: fn.startsWith('arn:') ? fn : arn.lambda(fn), attributes: { Version: '$LATEST' } };
      }
      case 'AWS::StepFunctions::StateMachine': {
        const name = named('StateMachineName', 80);
        return { ref: arn.stateMachine(name), attributes: { Arn: arn.stateMachine(name), Name: name } };
      }
      case 'AWS::Events::EventBus': {
        const name = named('Name', 256);
        return { ref: name, attributes: { Arn: arn.eventBus(name), Name: name } };
      }
      case 'AWS::Events::Rule': {
        const name = named('Name', 64);
        const busValue = resource.Properties?.EventBusName;
        const bus = busValue === undefined ? 'default' : String(this.walk(busValue, stack)).split('/').pop()!;
        return { ref: name, attributes: { Arn: arn.rule(bus, name) } };
      }
      case 'AWS::KMS::Key': {
        const id = stableUuid(`${stack.stackName}/${logicalId}`);
        return { ref: id, attributes: { Arn: arn.kmsKey(id), KeyId: id } };
      }
      case 'AWS::KMS::Alias': {
        const name = named('AliasName', 256);
        return { ref: name, attributes: {} };
      }
      case 'AWS::SecretsManager::Secret': {
        const name = named('Name', 256);
        // `Name` is not a CloudFormation attribute; the local provisioner reads it to create the secret.
        return { ref: arn.secret(name), attributes: { Id: arn.secret(name), Name: name } };
      }
      case 'AWS::Cognito::UserPool': {
        // Replaced by the real cognito-local id once the pool exists (setPhysical).
        const id = `${REGION}_${shortHash(`${stack.stackName}/${logicalId}`, 9)}`;
        return {
          ref: id,
          attributes: {
            Arn: arn.userPool(id),
            ProviderName: `cognito-idp.${REGION}.amazonaws.com/${id}`,
            ProviderURL: `https://cognito-idp.${REGION}.amazonaws.com/${id}`,
            UserPoolId: id,
          },
        };
      }
      case 'AWS::CloudFront::Distribution': {
        // Never deployed locally (the local cloud serves the console itself), but the web client's redirect
        // URLs name its domain: a well-formed one, as CloudFront would give.
        const id = `E${shortHash(`${stack.stackName}/${logicalId}`, 13).toUpperCase()}`;
        return { ref: id, attributes: { DomainName: `d${shortHash(id, 13)}.cloudfront.net`, Id: id } };
      }
      case 'AWS::ApiGateway::RestApi': {
        const id = shortHash(`${stack.stackName}/${logicalId}`, 10);
        return { ref: id, attributes: { RootResourceId: `${id}-root`, RestApiId: id } };
      }
      case 'AWS::IAM::Role': {
        const name = named('RoleName', 64);
        return {
          ref: name,
          attributes: { Arn: arn.role(name), RoleId: `AROA${shortHash(name, 16).toUpperCase()}` },
        };
      }
      case 'AWS::Logs::LogGroup': {
        const name = named('LogGroupName', 512);
        return { ref: name, attributes: { Arn: arn.logGroup(name) } };
      }
      case 'AWS::SNS::Topic': {
        const name = named('TopicName', 256);
        return { ref: arn.topic(name), attributes: { TopicArn: arn.topic(name), TopicName: name } };
      }
      default:
        return { ref: `${logicalId}-${shortHash(`${stack.stackName}/${logicalId}`, 8)}`, attributes: {} };
    }
  }
}
