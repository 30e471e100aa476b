import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesOfType } from './assembly.ts';
import type { TemplateResolver } from './intrinsics.ts';

/** A Lambda function as the local runtime needs it. */
export type FunctionSpec = {
  /** Physical function name (what ARNs, event source mappings and routes refer to). */
  name: string;
  logicalId: string;
  stackName: string;
  /** Absolute path of the bundled module (`cdk.out/asset.<hash>/index.mjs`). */
  modulePath: string;
  exportName: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Environment from the template, intrinsics resolved. */
  environment: Record<string, string>;
  reservedConcurrency?: number;
};

/**
 * Every `AWS::Lambda::Function` with a bundled asset. Functions without one (inline CDK helper code)
 * are skipped: nothing the local cloud routes to uses them.
 */
export function functionSpecs(resolver: TemplateResolver): { specs: FunctionSpec[]; skipped: string[] } {
  const specs: FunctionSpec[] = [];
  const skipped: string[] = [];
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::Lambda::Function')) {
    const properties = resource.Properties ?? {};
    const assetPath = resource.Metadata?.['aws:asset:path'];
    const handler = String(properties.Handler ?? 'index.handler');
    const dot = handler.lastIndexOf('.');
    const moduleBase = handler.slice(0, dot);
    const exportName = handler.slice(dot + 1);
    const modulePath =
      typeof assetPath === 'string'
        ? ['.mjs', '.js', '.cjs']
            .map((extension) => join(stack.assemblyDir, assetPath, `${moduleBase}${extension}`))
            .find((candidate) => existsSync(candidate))
        : undefined;
    if (!modulePath) {
      skipped.push(`${stack.stackName}/${logicalId}`);
      continue;
    }
    const variables = (resolver.resolve(
      (properties.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
      stack,
    ) ?? {}) as Record<string, unknown>;
    specs.push({
      name: resolver.physical(stack, logicalId).ref,
      logicalId,
      stackName: stack.stackName,
      modulePath,
      exportName,
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memoryMb: Number(properties.MemorySize ?? 128),
      environment: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
      reservedConcurrency:
        properties.ReservedConcurrentExecutions === undefined
          ? undefined
          : Number(properties.ReservedConcurrentExecutions),
    });
  }
  return { specs, skipped };
}
