// Loader for the public test vectors in SYNOD_DATA_DIR/crypto-vectors (see its ABOUT.md): Project
// Wycheproof files and the twelve edge cases of "Taming the many EdDSAs". Never copied into the repo.
import { readFileSync } from "node:fs";
import { sharedData } from "../../../test/support/shared-data.js";

/** One Wycheproof test: inputs are hex strings named per schema. */
export interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly result: "valid" | "invalid" | "acceptable";
  readonly flags: readonly string[];
  readonly [field: string]: unknown;
}

/** One Wycheproof group: shared parameters (a key, sizes) and its tests. */
export interface WycheproofGroup {
  readonly tests: readonly WycheproofTest[];
  readonly [field: string]: unknown;
}

/** A vector file: where it is, and its groups, or why it is missing (the suite then skips with that message). */
export interface VectorFile<T> {
  readonly missing?: string;
  readonly content: T;
}

function load<T>(name: string, empty: T): VectorFile<T> {
  const found = sharedData(`crypto-vectors/${name}`);
  if (found.missing !== undefined) return { missing: found.missing, content: empty };
  return { content: JSON.parse(readFileSync(found.path, "utf8")) as T };
}

/** @returns the groups of a Wycheproof file, e.g. `ed25519_test.json` */
export function wycheproof(name: string): VectorFile<readonly WycheproofGroup[]> {
  const file = load<{ testGroups: WycheproofGroup[] }>(name, { testGroups: [] });
  return { ...(file.missing === undefined ? {} : { missing: file.missing }), content: file.content.testGroups };
}

/** One case of ed25519-speccheck: message, public key and signature in hex. */
export interface SpeccheckCase {
  readonly message: string;
  readonly pub_key: string;
  readonly signature: string;
}

/** @returns the twelve "Taming the many EdDSAs" cases, in order (case i at index i) */
export function speccheckCases(): VectorFile<readonly SpeccheckCase[]> {
  return load<SpeccheckCase[]>("ed25519-speccheck-cases.json", []);
}

/** @returns every test of every group, with its group */
export function allTests(groups: readonly WycheproofGroup[]): { group: WycheproofGroup; test: WycheproofTest }[] {
  return groups.flatMap((group) => group.tests.map((test) => ({ group, test })));
}

/** @returns a field of a test or group that must be a hex string */
export function hex(record: { readonly [field: string]: unknown }, field: string): string {
  const value = record[field];
  if (typeof value !== "string") throw new Error(`vector field ${field} is not a string`);
  return value;
}
