import type { Jurisdiction } from './api.ts';

/** Muted, distinguishable fills for jurisdictions, assigned in the region pack's order (no region is assumed). */
const PALETTE = ['#2f6db0', '#3f9a6e', '#c98a2b', '#8a63b5', '#b3564f', '#3c9aa8', '#7d8a34', '#a35d8c'];

export function jurisdictionColors(jurisdictions: Jurisdiction[]): Map<string, string> {
  return new Map(jurisdictions.map((j, i) => [j.id, PALETTE[i % PALETTE.length]]));
}

export const FALLBACK_COLOR = '#9aa5b1';
