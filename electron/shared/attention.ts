import { ERROR_CATALOGUE } from './error-catalogue';
import type { UploadItem } from './uploads';
import { counted, formatBytes, formatMinutes, m } from './i18n';
import { copyBytes, offeredParts, type UploadCopy } from './upload-copy';

/** A set of files that need attention for the same reason, and the one thing to do about them. */
export interface AttentionGroup {
  readonly key: string;
  readonly label: string;
  readonly ids: readonly string[];
  readonly action: { readonly id: 'retry' | 'remove' | 'make-copy'; readonly label: string };
}

/** The catalogue's words for a code when it has them (the same for every file), else the file's own. */
function reasonOf(code: string, own: string): string {
  return (ERROR_CATALOGUE as Readonly<Record<string, { message: string }>>)[code]?.message ?? own;
}

/**
 * Needs attention, worked through a reason at a time: files refused, failed or waiting for their
 * drive, grouped by why where two or more share it (a reason one file has is said on its row,
 * with its name), the largest group first, each with one action for the whole group (Retry when
 * every file in it can be retried, else Remove from the list).
 */
export function attentionGroups(items: readonly UploadItem[]): AttentionGroup[] {
  const groups = new Map<
    string,
    { label: string; ids: string[]; retryable: boolean; copyBytes: number | null; copySeconds: number | null }
  >();
  const add = (key: string, label: string, id: string, retryable: boolean, copy: UploadCopy | null = null) => {
    const group = groups.get(key) ?? { label, ids: [], retryable: true, copyBytes: 0, copySeconds: 0 };
    group.ids.push(id);
    group.retryable &&= retryable;
    // Copies for the whole group only when every file in it has one on offer.
    group.copyBytes = group.copyBytes !== null && copy ? group.copyBytes + copyBytes(copy) : null;
    const seconds = copy?.estimateSeconds && copy.estimateSeconds * offeredParts(copy);
    group.copySeconds = group.copySeconds !== null && seconds ? group.copySeconds + seconds : null;
    groups.set(key, group);
  };
  for (const item of items) {
    const { status } = item;
    if (status.kind === 'rejected')
      add(
        `rejected:${status.code}`,
        m.attention_cant_upload({ reason: reasonOf(status.code, status.message) }),
        item.id,
        false,
        item.copy ?? null,
      );
    else if (status.kind === 'failed')
      add(
        `failed:${status.code}`,
        m.attention_failed({ reason: reasonOf(status.code, status.message) }),
        item.id,
        status.retryable,
      );
    else if (status.kind === 'file-missing') add('file-missing', m.attention_missing(), item.id, false);
  }
  return [...groups.entries()]
    .filter(([, { ids }]) => ids.length > 1)
    .map(([key, { label, ids, retryable, copyBytes, copySeconds }]) => {
      const size =
        copyBytes !== null && copySeconds !== null
          ? m.copy_size_and_time({ size: formatBytes(copyBytes), time: formatMinutes(copySeconds) })
          : formatBytes(copyBytes ?? 0);
      return {
        key,
        label,
        ids,
        action:
          copyBytes !== null && key.startsWith('rejected:')
            ? {
                id: 'make-copy' as const,
                label: m.attention_copy_these({ ...counted(ids.length), size }),
              }
            : retryable
              ? { id: 'retry' as const, label: m.attention_retry_these(counted(ids.length)) }
              : { id: 'remove' as const, label: m.attention_remove_these(counted(ids.length)) },
      };
    })
    .sort((a, b) => b.ids.length - a.ids.length);
}
