/** What every map of the dashboard shares: MapLibre set up for offline use, and fitting to GeoJSON. */
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Boundaries } from './api.ts';

// After a Vite build MapLibre cannot find its worker on its own.
maplibregl.setWorkerUrl(workerUrl);

export { maplibregl };

export type SourceSpecification = Parameters<maplibregl.Map['addSource']>[1];

/** Only a background layer: no tiles, no glyphs, nothing from the internet. */
export const OFFLINE_STYLE: maplibregl.StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e9eef2' } }],
};

/** Bounds of every coordinate of these features, so the map fits the region whatever it is. */
export function boundsOf(features: Boundaries['features']): maplibregl.LngLatBoundsLike | null {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      west = Math.min(west, value[0]);
      east = Math.max(east, value[0]);
      south = Math.min(south, value[1]);
      north = Math.max(north, value[1]);
      return;
    }
    for (const item of value) visit(item);
  };
  for (const f of features) visit(f.geometry?.coordinates);
  return west <= east ? [west, south, east, north] : null;
}
