/** Light, dark, or following the OS (the default): applied as `data-theme` on the document, remembered per origin. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'ri-theme';
const darkQuery = (): MediaQueryList | null => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

export function themeChoice(): ThemeChoice {
  const v = globalThis.localStorage?.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** Told on `window` when the theme changes, for what CSS does not paint (the graph's canvas). */
export const THEME_CHANGED = 'ri-theme-changed';

function apply(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'system' && darkQuery()?.matches === true);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  window.dispatchEvent(new Event(THEME_CHANGED));
}

/** Applies the remembered choice now and follows the OS while the choice is 'system'. */
export function startTheme(): void {
  apply(themeChoice());
  darkQuery()?.addEventListener('change', () => apply(themeChoice()));
}

export function setThemeChoice(choice: ThemeChoice): void {
  if (choice === 'system') globalThis.localStorage?.removeItem(KEY);
  else globalThis.localStorage?.setItem(KEY, choice);
  apply(choice);
}
