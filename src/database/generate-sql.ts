/**
 * Reviewable SQL, as immich's `@GenerateSql` does it: a read-model method
 * marked with examples of its arguments has the SQL it sends written out to a
 * committed file in `sql/` by `npm run sql` (scripts/generate-sql.ts), and CI
 * fails when the committed files differ from what the code sends
 * (`npm run sql:check`). A change to a query thus shows in review as a change
 * to plain SQL. The marks cost nothing at run time: the examples are only
 * made when the script asks for them.
 */

/** One call of the method to write out: a name for the file's heading, and the arguments. */
export interface SqlExample {
  name: string;
  args: () => unknown[];
}

export interface SqlMethod {
  method: string;
  examples: SqlExample[];
}

const marked = new Map<object, SqlMethod[]>();

export function GenerateSql(...examples: SqlExample[]): MethodDecorator {
  return (target, key) => {
    const methods = marked.get(target.constructor) ?? [];
    methods.push({ method: String(key), examples });
    marked.set(target.constructor, methods);
  };
}

/** The methods of a class marked with `@GenerateSql`, in the order they are declared. */
export function sqlMethods(owner: object): SqlMethod[] {
  return marked.get(owner) ?? [];
}
