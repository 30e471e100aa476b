import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A CloudFormation template as the CDK writes it (only the parts the local cloud reads). */
export type Template = {
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Resources?: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
};

export type TemplateResource = {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
};

export type StackTemplate = {
  /** The CloudFormation stack name (what `AWS::StackName` resolves to). */
  stackName: string;
  template: Template;
  /** Directory holding the template; `aws:asset:path` metadata is relative to it. */
  assemblyDir: string;
};

type Manifest = {
  artifacts?: Record<
    string,
    {
      type: string;
      properties?: { templateFile?: string; stackName?: string; directoryName?: string };
      displayName?: string;
      dependencies?: string[];
    }
  >;
};

/**
 * Reads every stack of a cloud assembly (`cdk.out`), following nested assemblies (stages), in dependency
 * order so exporting stacks come before importing ones.
 */
export function loadAssembly(assemblyDir: string): StackTemplate[] {
  const manifestFile = join(assemblyDir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new Error(`no cloud assembly at ${assemblyDir} (manifest.json missing): run the CDK synth first`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  const artifacts = Object.entries(manifest.artifacts ?? {});
  const stacks: Array<StackTemplate & { id: string; dependencies: string[] }> = [];
  for (const [id, artifact] of artifacts) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      for (const nested of loadAssembly(join(assemblyDir, artifact.properties.directoryName))) {
        stacks.push({ ...nested, id: `${id}/${nested.stackName}`, dependencies: [] });
      }
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
    const template = JSON.parse(
      readFileSync(join(assemblyDir, artifact.properties.templateFile), 'utf8'),
    ) as Template;
    stacks.push({
      id,
      stackName: artifact.properties.stackName ?? id,
      template,
      assemblyDir,
      dependencies: artifact.dependencies ?? [],
    });
  }
  return orderByDependencies(stacks).map(({ stackName, template, assemblyDir: dir }) => ({
    stackName,
    template,
    assemblyDir: dir,
  }));
}

function orderByDependencies<T extends { id: string; dependencies: string[] }>(items: T[]): T[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const ordered: T[] = [];
  const seen = new Set<string>();
  const visit = (item: T) => {
    if (seen.has(item.id)) return;
    seen.add(item.id);
    for (const dependency of item.dependencies) {
      const other = byId.get(dependency);
      if (other) visit(other);
    }
    ordered.push(item);
  };
  for (const item of items) visit(item);
  return ordered;
}

/** All resources of a type across stacks, with the stack they belong to. */
export function resourcesOfType(
  stacks: StackTemplate[],
  ...types: string[]
): Array<{ stack: StackTemplate; logicalId: string; resource: TemplateResource }> {
  const found: Array<{ stack: StackTemplate; logicalId: string; resource: TemplateResource }> = [];
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (types.includes(resource.Type)) found.push({ stack, logicalId, resource });
    }
  }
  return found;
}
