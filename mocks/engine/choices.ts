// A run's choices from a table of names (an API's deliberate defects, its benign variants), made once at
// start from the command line or options: an unknown name stops the start with the names it knows.

/**
 * The names of a table (defects, variants) chosen on the command line or in options, refusing unknown ones.
 * @example namesOf(DEFECTS, ['wrong-type'], 'defect') // Set { 'wrong-type' }
 */
export function namesOf<T extends Record<string, string>>(
  table: T,
  names: readonly string[],
  kind: string,
): ReadonlySet<keyof T & string> {
  const unknown = names.filter((n) => !(n in table));
  if (unknown.length)
    throw new Error(`Unknown ${kind}(s): ${unknown.join(', ')}. Known: ${Object.keys(table).join(', ')}.`);
  return new Set(names as Array<keyof T & string>);
}
