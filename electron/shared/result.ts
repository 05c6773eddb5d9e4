import type { FailureCode } from './error-catalogue';

/**
 * The one shape every IPC call and service operation answers with. Failures are data, not thrown
 * errors, so they survive structured cloning across the IPC boundary intact.
 */
export type Result<T> = { readonly ok: true; readonly value: T } | Failure;

/** A failure a person can read: `message` is plain language, `code` is for "Details" and logs. */
export interface Failure {
  readonly ok: false;
  readonly code: FailureCode;
  readonly message: string;
  /** For a refused setting: which one, so the window can say it next to its field. */
  readonly field?: string;
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: FailureCode, message: string): Failure {
  return { ok: false, code, message };
}

/** Ends an exhaustive `switch`: the compiler rejects a call here if a case was forgotten. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
