/**
 * Focuses an element when it appears (`{@attach focusOnMount}`). Used on the safe choice of a
 * confirmation, so Enter pressed out of habit cancels instead of deleting.
 */
export function focusOnMount(node: HTMLElement): void {
  node.focus();
}
