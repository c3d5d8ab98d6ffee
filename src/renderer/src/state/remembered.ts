/** What the user last viewed, per origin; nothing is remembered where there is no storage. */
export const remembered = {
  get: (key: string): string | null => globalThis.localStorage?.getItem(key) ?? null,
  set: (key: string, value: string): void => globalThis.localStorage?.setItem(key, value),
};
