/**
 * Values many queued files share (a batch's id, a type, a way of sending), one copy each instead of
 * one per file as SQLite or a media thread hands them over: each arrives as a string of its own, and
 * a million files would each hold theirs. Bounded: past its size it starts again.
 */
const shared = new Map<string, string>();

export function once<T extends string>(value: T): T {
  const known = shared.get(value);
  if (known !== undefined) return known as T;
  if (shared.size >= 4096) shared.clear();
  shared.set(value, value);
  return value;
}
