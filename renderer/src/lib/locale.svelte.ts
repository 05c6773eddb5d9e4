import { ENGLISH, useLocaleSource, type AppLocale } from '../../../electron/shared/i18n';

/**
 * The window's language and region, as main says (`SessionState.locale`). Messages and formats
 * read it through `useLocaleSource`, so every word on screen that was made from them is made again
 * when it changes: a language chosen in Settings applies at once, without a restart.
 */
const locale = $state<{ current: AppLocale }>({ current: ENGLISH });
useLocaleSource(() => locale.current);

export function applyLocale(next: AppLocale): void {
  if (next.language === locale.current.language && next.region === locale.current.region) return;
  locale.current = next;
  document.documentElement.lang = next.language;
}
