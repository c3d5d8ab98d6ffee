/**
 * The widths of the app's panes (the run list, the right panel), set by dragging their edges or
 * collapsed, remembered in this origin's storage. Widths are clamped so the timeline keeps room.
 */
import { useEffect, useState } from 'react';

export interface PaneSizes {
  sidebar: number;
  right: number;
  sidebarCollapsed: boolean;
  rightCollapsed: boolean;
}

const KEY = 'ri-panes';
export const PANE_LIMITS = { sidebar: [180, 520], right: [300, 900] } as const;
export function clampPane(pane: 'sidebar' | 'right', px: number): number {
  const [lo, hi] = PANE_LIMITS[pane];
  return Math.round(Math.min(hi, Math.max(lo, px)));
}

/** Defaults that leave the timeline room on a small window (1024 px: 246 + 348, the rest for the table). */
const viewport = globalThis.innerWidth || 1280;
const DEFAULTS: PaneSizes = {
  sidebar: clampPane('sidebar', Math.min(280, viewport * 0.24)),
  right: clampPane('right', Math.min(400, viewport * 0.34)),
  sidebarCollapsed: false,
  rightCollapsed: false,
};

function remembered(): PaneSizes {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? 'null') as Partial<PaneSizes> | null;
    if (!saved) return DEFAULTS;
    return {
      sidebar: clampPane('sidebar', Number(saved.sidebar) || DEFAULTS.sidebar),
      right: clampPane('right', Number(saved.right) || DEFAULTS.right),
      sidebarCollapsed: saved.sidebarCollapsed === true,
      rightCollapsed: saved.rightCollapsed === true,
    };
  } catch {
    return DEFAULTS; // unreadable: the default layout
  }
}

export function usePaneSizes(): [PaneSizes, (patch: Partial<PaneSizes>) => void] {
  const [sizes, setSizes] = useState<PaneSizes>(remembered);
  useEffect(() => globalThis.localStorage?.setItem(KEY, JSON.stringify(sizes)), [sizes]);
  return [sizes, (patch) => setSizes((s) => ({ ...s, ...patch }))];
}
