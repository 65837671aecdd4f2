// Equality- and existence-based Kubernetes label selectors: `a=b,c!=d,e,!f`.
// Set-based forms (`in`, `notin`) are refused rather than misread.

/** One requirement of a label selector. @public */
export type LabelRequirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'exists' | '!exists' };

/** @public */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return selector
    .split(',')
    .map(part => part.trim())
    .filter(Boolean)
    .map(part => {
      if (/\s(in|notin)\s*\(/.test(part)) {
        throw new Error(
          `set-based label selectors are not supported: "${part}"`,
        );
      }
      const neq = part.split('!=');
      if (neq.length === 2)
        return { key: neq[0].trim(), op: '!=' as const, value: neq[1].trim() };
      const eq = part.split(/==?/);
      if (eq.length === 2)
        return { key: eq[0].trim(), op: '=' as const, value: eq[1].trim() };
      if (part.startsWith('!'))
        return { key: part.slice(1).trim(), op: '!exists' as const };
      return { key: part, op: 'exists' as const };
    });
}

/** Whether labels match every requirement of a selector. @public */
export function matchesLabelSelector(
  labels: Record<string, string>,
  selector: string | LabelRequirement[],
): boolean {
  const requirements =
    typeof selector === 'string' ? parseLabelSelector(selector) : selector;
  if (requirements.length === 0) return false; // an empty selector would match everything
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case '=':
        return has && labels[r.key] === r.value;
      case '!=':
        return !has || labels[r.key] !== r.value;
      case 'exists':
        return has;
      default:
        return !has;
    }
  });
}
