/**
 * Turns the synthesized `DefinitionString` of a state machine (an `Fn::Join` of ASL text and
 * CloudFormation references) into readable, stable ASL: Lambda ARNs become `${fn:<handler entry>}`
 * (from the function's `factu:entry` metadata), other references `${<LogicalId>}` / `${<LogicalId>.<Attr>}`.
 * Used by the reviewed snapshot (asl.snapshot.json) and handy for anything that executes the template.
 */

type CfnTemplate = {
  Resources: Record<string, { Type: string; Properties?: unknown; Metadata?: Record<string, unknown> }>;
};

export function renderDefinitionString(
  definition: unknown,
  template: CfnTemplate,
  entryMetadataKey = 'factu:entry',
): unknown {
  const label = (logicalId: string, attribute?: string): string => {
    const resource = template.Resources[logicalId];
    const entry = resource?.Metadata?.[entryMetadataKey];
    if (resource?.Type === 'AWS::Lambda::Function' && typeof entry === 'string' && attribute === 'Arn') {
      return `\${fn:${entry}}`;
    }
    return attribute ? `\${${logicalId}.${attribute}}` : `\${${logicalId}}`;
  };
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node;
    if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if ('Fn::Join' in obj) {
        const [delimiter, parts] = obj['Fn::Join'] as [string, unknown[]];
        return parts.map(flatten).join(delimiter);
      }
      if ('Fn::GetAtt' in obj) {
        const [logicalId, attribute] = obj['Fn::GetAtt'] as [string, string];
        return label(logicalId, attribute);
      }
      if ('Ref' in obj) {
        const ref = obj.Ref as string;
        return ref.startsWith('AWS::') ? `\${${ref}}` : label(ref);
      }
      if ('Fn::ImportValue' in obj) return `\${import:${flatten(obj['Fn::ImportValue'])}}`;
    }
    throw new Error(`Unsupported intrinsic in DefinitionString: ${JSON.stringify(node)}`);
  };
  return JSON.parse(flatten(definition));
}
