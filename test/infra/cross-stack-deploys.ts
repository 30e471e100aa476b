import type { CfnTemplate } from './synth';

/** What CloudFormation knows of a deployed stack for cross-stack references: its exports and imports. */
export interface DeployedStack {
  /** Export name → the output's value expression (the same expression in the same stack gives the same value). */
  readonly exports: Record<string, unknown>;
  readonly imports: readonly string[];
}

export type DeployedStacks = Record<string, DeployedStack>;

/** The export names a template's `Fn::ImportValue`s read (every one is a literal name in this app). */
export function importsOf(template: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Fn::ImportValue') {
          if (typeof value !== 'string')
            throw new Error(`Fn::ImportValue of a computed name: ${JSON.stringify(value)}`);
          found.add(value);
        } else visit(value);
      }
    }
  };
  visit(template);
  return [...found].sort();
}

export function deployedStackOf(template: CfnTemplate): DeployedStack {
  const exports = Object.fromEntries(
    Object.values(template.Outputs ?? {})
      .filter((output) => output.Export)
      .map((output) => [output.Export!.Name, output.Value]),
  );
  return { exports, imports: importsOf(template) };
}

/**
 * Deploys `templates` one stack at a time in `order` (as `cdk deploy --all` does, dependencies first) over what is
 * deployed, refusing what CloudFormation refuses of cross-stack references: an import of an export no other stack
 * has ("No export named … found"), and deleting or changing an export another stack still imports ("Cannot
 * delete export … as it is in use by …", "Cannot update export … as it is in use by …"). Returns what is deployed
 * afterwards.
 */
export function deployInOrder(
  deployed: DeployedStacks,
  templates: Record<string, CfnTemplate>,
  order: readonly string[],
): DeployedStacks {
  const state: Record<string, DeployedStack> = { ...deployed };
  for (const stackName of order) {
    const next = deployedStackOf(templates[stackName]!);
    const others = Object.entries(state).filter(([name]) => name !== stackName);
    for (const name of next.imports) {
      if (!others.some(([, stack]) => name in stack.exports))
        throw new Error(`${stackName}: No export named ${name} found`);
    }
    for (const [name, value] of Object.entries(state[stackName]?.exports ?? {})) {
      const deleted = !(name in next.exports);
      if (!deleted && JSON.stringify(next.exports[name]) === JSON.stringify(value)) continue;
      const importers = others.filter(([, stack]) => stack.imports.includes(name)).map(([other]) => other);
      if (importers.length > 0)
        throw new Error(
          `${stackName}: Cannot ${deleted ? 'delete' : 'update'} export ${name} as it is in use by ${importers.join(', ')}`,
        );
    }
    state[stackName] = next;
  }
  return state;
}
