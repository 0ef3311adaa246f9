/** @returns `error` as one line for a violation message: `Name: message`, or its string form */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
