import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { FactuConfig } from '../config';
import type { AppFunction } from '../constructs/app-function';
import type { ApiRoute } from '../routes';
import { importCoreResources } from './core-exports';
import { FunctionFactory } from './function-factory';

export interface RoutesStackProps extends StackProps {
  readonly config: FactuConfig;
  readonly statefulStackName: string;
  readonly coreStackName: string;
  /** The routes whose functions this stack holds (one group of infra/route-stacks.ts). */
  readonly routes: readonly ApiRoute[];
}

/**
 * The functions of one group of API routes (function, log group, execution role, tenant access role each).
 * It exports nothing: the API stack reaches each function by its fixed name.
 */
export class RoutesStack extends Stack {
  /** Every function by entry path. */
  readonly functions = new Map<string, AppFunction>();

  constructor(scope: Construct, id: string, props: RoutesStackProps) {
    super(scope, id, props);
    const factory = new FunctionFactory(this, {
      config: props.config,
      statefulStackName: props.statefulStackName,
      core: importCoreResources(this, props.coreStackName),
    });
    for (const route of props.routes) {
      const fn = factory.make(route, { invokedBy: 'synchronously by API Gateway' });
      this.functions.set(route.entry, fn);
    }
  }
}
