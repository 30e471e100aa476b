import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_STACK_NAME, buildApp, type FactuApp, STATEFUL_STACK_NAME } from '#infra/app';
import {
  KEEP_STATEFUL_WEB_CLIENT_CONTEXT,
  parseKeepStatefulWebClient,
  readCdkJsonContext,
} from '#infra/config';
import { PRE_MOVE_STATEFUL_EXPORTS, statefulExportName } from '#infra/stacks/exports';
import {
  type DeployedStack,
  type DeployedStacks,
  deployedStackOf,
  deployInOrder,
} from './cross-stack-deploys';
import { type CfnResource, type CfnTemplate, resourcesOfType, synthTolerant } from './synth';

/** What an installation made before the web client moved to Factu-Api has deployed (see its `about`). */
const preMove = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'pre-move-assembly.json'), 'utf8'),
) as {
  auth: Record<string, unknown>;
  stacks: DeployedStacks;
  webClient: { logicalId: string; resource: CfnResource };
};

const PRE_MOVE_EXPORT_NAMES = PRE_MOVE_STATEFUL_EXPORTS.map((key) =>
  statefulExportName(STATEFUL_STACK_NAME, key),
);

const preMoveImportsOf = (stack: DeployedStack) =>
  stack.imports.filter((name) => PRE_MOVE_EXPORT_NAMES.includes(name));

interface Assembly {
  readonly built: FactuApp;
  readonly templates: Record<string, CfnTemplate>;
  /** Stack names in `cdk deploy --all`'s order (each after the stacks it depends on). */
  readonly order: string[];
  readonly validationFailed: boolean;
}

/**
 * The app as the pre-move installation was configured (its `auth`, so the kept client is compared with the
 * deployed one), with cdk-nag and without bundling (templates alike but for asset hashes).
 */
function synthWith(keepStatefulWebClient?: unknown): Assembly {
  const outdir = mkdtempSync(join(tmpdir(), 'factu-infra-upgrade-'));
  const factu = { ...(readCdkJsonContext().factu as Record<string, unknown>), auth: preMove.auth };
  const built = buildApp({
    outdir,
    nag: true,
    context: {
      'aws:cdk:bundling-stacks': [],
      factu,
      ...(keepStatefulWebClient === undefined
        ? {}
        : { [KEEP_STATEFUL_WEB_CLIENT_CONTEXT]: keepStatefulWebClient }),
    },
  });
  const { validationFailed } = synthTolerant(built.app);
  const order = [built.stateful, built.stateless, ...built.routes, built.api].map((stack) => stack.stackName);
  const templates = Object.fromEntries(
    order.map((name) => [
      name,
      JSON.parse(readFileSync(join(outdir, `${name}.template.json`), 'utf8')) as CfnTemplate,
    ]),
  );
  return { built, templates, order, validationFailed };
}

let kept: Assembly;
let plain: Assembly;
beforeAll(() => {
  // As the CLI passes it: `-c factu:keepStatefulWebClient=true` arrives as a string.
  kept = synthWith('true');
  plain = synthWith(undefined);
}, 300_000);

describe('upgrading an installation made before the web client moved to Factu-Api', () => {
  it('with factu:keepStatefulWebClient, Factu-Stateful keeps the deployed client as it is and both exports with their values', () => {
    // Prepare
    const stateful = kept.templates[STATEFUL_STACK_NAME]!;
    const preMoveExports = preMove.stacks[STATEFUL_STACK_NAME]!.exports;

    // Act
    const exports = deployedStackOf(stateful).exports;

    // Assess
    // Same logical id and properties: CloudFormation keeps the client, untouched, rather than replacing it.
    expect(stateful.Resources[preMove.webClient.logicalId]).toEqual(preMove.webClient.resource);
    expect(PRE_MOVE_EXPORT_NAMES).toEqual(['Factu-Stateful-UserPoolClientIds', 'Factu-Stateful-WebClientId']);
    for (const name of PRE_MOVE_EXPORT_NAMES) expect(exports[name], name).toEqual(preMoveExports[name]);
    Annotations.fromStack(kept.built.stateful).hasWarning(
      '*',
      Match.stringLikeRegexp('factu:keepStatefulWebClient is set.*then again without it'),
    );
  });

  it('without it, Factu-Stateful has neither the client nor the exports', () => {
    // Prepare
    const stateful = plain.templates[STATEFUL_STACK_NAME]!;

    // Act
    const exports = deployedStackOf(stateful).exports;
    const webClients = resourcesOfType(stateful, 'AWS::Cognito::UserPoolClient').filter(
      ([, client]) => client.Properties?.ClientName === 'web',
    );

    // Assess
    expect(stateful.Resources[preMove.webClient.logicalId]).toBeUndefined();
    expect(webClients).toEqual([]);
    for (const name of PRE_MOVE_EXPORT_NAMES) expect(exports[name], name).toBeUndefined();
    expect(stateful.Outputs).not.toHaveProperty('WebClientId');
    expect(stateful.Outputs).not.toHaveProperty('UserPoolClientIds');
    expect(parseKeepStatefulWebClient(undefined)).toBe(false);
  });

  it('no stack imports them either way, and the setting changes nothing but Factu-Stateful', () => {
    for (const assembly of [kept, plain]) {
      for (const name of assembly.order) {
        expect(preMoveImportsOf(deployedStackOf(assembly.templates[name]!)), name).toEqual([]);
      }
    }
    expect(kept.order).toEqual(plain.order);
    for (const name of kept.order.filter((stack) => stack !== STATEFUL_STACK_NAME)) {
      expect(kept.templates[name], name).toEqual(plain.templates[name]);
    }
    // The API accepts its own web client's tokens and the machine client's, not the pre-move client's.
    expect(deployedStackOf(kept.templates[API_STACK_NAME]!).imports).toContain(
      'Factu-Stateful-MachineClientId',
    );
  });

  it('the two deploys upgrade the installation; one deploy without the setting is refused, as CloudFormation refuses it', () => {
    // Prepare
    const installed = preMove.stacks;

    // Act
    const direct = () => deployInOrder(installed, plain.templates, plain.order);
    const afterFirst = deployInOrder(installed, kept.templates, kept.order);
    const afterSecond = deployInOrder(afterFirst, plain.templates, plain.order);

    // Assess
    expect(direct).toThrow(
      /^Factu-Stateful: Cannot delete export Factu-Stateful-(UserPoolClientIds|WebClientId) as it is in use by Factu-Api$/,
    );
    expect(preMoveImportsOf(installed[API_STACK_NAME]!)).toEqual(PRE_MOVE_EXPORT_NAMES);
    expect(preMoveImportsOf(afterFirst[API_STACK_NAME]!)).toEqual([]);
    for (const name of PRE_MOVE_EXPORT_NAMES) {
      expect(afterFirst[STATEFUL_STACK_NAME]!.exports, name).toHaveProperty([name]);
      expect(afterSecond[STATEFUL_STACK_NAME]!.exports, name).not.toHaveProperty([name]);
    }
    // A fresh installation needs no setting.
    expect(() => deployInOrder({}, plain.templates, plain.order)).not.toThrow();
  });

  it('cdk-nag passes with the kept client', () => {
    expect(kept.validationFailed).toBe(false);
    expect(plain.validationFailed).toBe(false);
  });

  it.each([
    ['true', true],
    ['false', false],
    [true, true],
    [false, false],
  ])('reads the setting %j (CLI strings or JSON booleans) as %j', (raw, expected) => {
    expect(parseKeepStatefulWebClient(raw)).toBe(expected);
  });

  it.each(['yes', '1', 1])('refuses the setting %j at synth', (raw) => {
    expect(() => parseKeepStatefulWebClient(raw)).toThrow(
      /Invalid CDK context "factu:keepStatefulWebClient": .+, expected true or false/,
    );
  });
});
