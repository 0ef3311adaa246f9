/** A value or a typed error, for operations on untrusted input that must not throw. */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** @returns a successful {@link Result} */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** @returns a failed {@link Result} */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
