/**
 * EventBridge event pattern matching (the subset CDK apps use): exact values, `prefix`, `suffix`,
 * `equals-ignore-case`, `anything-but` (values, prefix, suffix), `exists`, `numeric` ranges, `wildcard`,
 * and `$or`. A field matches when any of its pattern values matches; an array in the event matches when
 * any element does; every field of the pattern must match.
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) return false;
  return matchObject(pattern, event);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchObject(pattern: Record<string, unknown>, event: unknown): boolean {
  for (const [field, rule] of Object.entries(pattern)) {
    if (field === '$or') {
      if (!Array.isArray(rule) || !rule.some((branch) => isObject(branch) && matchObject(branch, event)))
        return false;
      continue;
    }
    const value = isObject(event) ? event[field] : undefined;
    const present = isObject(event) && field in event;
    if (isObject(rule)) {
      if (!matchObject(rule, value)) return false;
    } else if (Array.isArray(rule)) {
      if (!matchValues(rule, value, present)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function matchValues(rules: unknown[], value: unknown, present: boolean): boolean {
  // `exists: false` must look at the field itself, not at its elements.
  for (const rule of rules) {
    if (isObject(rule) && 'exists' in rule) {
      const wantsPresent = rule.exists === true;
      // An empty array or null does not count as present for `exists`, matching EventBridge's leaf rule.
      const isPresent = present && value !== null && !(Array.isArray(value) && value.length === 0);
      if (wantsPresent === isPresent) return true;
    }
  }
  const candidates = Array.isArray(value) ? value : present ? [value] : [];
  return rules.some(
    (rule) => !(isObject(rule) && 'exists' in rule) && candidates.some((item) => matchOne(rule, item)),
  );
}

function matchOne(rule: unknown, value: unknown): boolean {
  if (!isObject(rule)) return rule === value;
  const [operator, operand] = Object.entries(rule)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return matchString(operand, value, (text, expected) => text.startsWith(expected));
    case 'suffix':
      return matchString(operand, value, (text, expected) => text.endsWith(expected));
    case 'equals-ignore-case':
      return (
        typeof value === 'string' &&
        typeof operand === 'string' &&
        value.toLowerCase() === operand.toLowerCase()
      );
    case 'wildcard':
      return typeof value === 'string' && typeof operand === 'string' && wildcard(operand).test(value);
    case 'anything-but':
      return anythingBut(operand, value);
    case 'numeric':
      return numeric(operand as unknown[], value);
    case 'cidr':
      return false;
    default:
      return false;
  }
}

function matchString(
  operand: unknown,
  value: unknown,
  test: (text: string, expected: string) => boolean,
): boolean {
  if (typeof value !== 'string') return false;
  if (typeof operand === 'string') return test(value, operand);
  if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), operand['equals-ignore-case'].toLowerCase());
  }
  return false;
}

function anythingBut(operand: unknown, value: unknown): boolean {
  if (isObject(operand)) {
    if ('prefix' in operand) return typeof value === 'string' && !matchOne({ prefix: operand.prefix }, value);
    if ('suffix' in operand) return typeof value === 'string' && !matchOne({ suffix: operand.suffix }, value);
    if ('equals-ignore-case' in operand) {
      const excluded = ([] as unknown[])
        .concat(operand['equals-ignore-case'])
        .map((item) => String(item).toLowerCase());
      return typeof value === 'string' && !excluded.includes(value.toLowerCase());
    }
    return false;
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  return !excluded.includes(value as never);
}

function numeric(conditions: unknown[], value: unknown): boolean {
  if (typeof value !== 'number') return false;
  for (let index = 0; index + 1 < conditions.length; index += 2) {
    const operator = conditions[index];
    const operand = Number(conditions[index + 1]);
    const ok =
      operator === '='
        ? value === operand
        : operator === '<'
          ? value < operand
          : operator === '<='
            ? value <= operand
            : operator === '>'
              ? value > operand
              : operator === '>='
                ? value >= operand
                : false;
    if (!ok) return false;
  }
  return true;
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 's');
}
