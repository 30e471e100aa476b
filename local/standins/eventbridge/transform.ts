/**
 * What a rule target receives: the whole event, a constant `Input`, the part selected by `InputPath`,
 * or an `InputTransformer` rendering. Returns the message body as EventBridge would deliver it.
 */
export type TargetInput = {
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
};

export function renderTargetInput(
  target: TargetInput,
  event: Record<string, unknown>,
  ruleName: string,
): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath) return JSON.stringify(jsonPath(event, target.InputPath) ?? null);
  if (target.InputTransformer) {
    const values: Record<string, unknown> = {
      'aws.events.rule-name': ruleName,
      'aws.events.event': event,
      'aws.events.event.json': event,
      'aws.events.event.ingestion-time': event.time,
      'aws.events.rule-arn': ruleName,
    };
    for (const [name, path] of Object.entries(target.InputTransformer.InputPathsMap ?? {})) {
      values[name] = jsonPath(event, path);
    }
    return target.InputTransformer.InputTemplate.replace(
      /<([A-Za-z0-9_.-]+)>/g,
      (match, name: string, offset, text) => {
        if (!(name in values)) return match;
        const value = values[name];
        if (typeof value === 'string') {
          // A placeholder inside quotes receives the string escaped for JSON; a bare one receives it as is.
          const quoted = text[offset - 1] === '"';
          return quoted ? JSON.stringify(value).slice(1, -1) : value;
        }
        return JSON.stringify(value ?? null);
      },
    );
  }
  return JSON.stringify(event);
}

/** Minimal JSONPath: `$`, `$.a.b`, `$['a'].b`, `$.list[0]`. */
export function jsonPath(root: unknown, path: string): unknown {
  if (path === '$') return root;
  const tokens = path.replace(/^\$/, '').match(/\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]|\["([^"]+)"\]/g);
  let current: unknown = root;
  for (const token of tokens ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = token.startsWith('.')
      ? token.slice(1)
      : token.startsWith("['") || token.startsWith('["')
        ? token.slice(2, -2)
        : Number(token.slice(1, -1));
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
