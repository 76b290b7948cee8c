/**
 * What every map of the dashboard shares: MapLibre set up for offline use, the region's boundaries
 * as the base, fitting to GeoJSON, and labels as HTML markers.
 */
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

/** The region's cities, or else every boundary: linked places outside them are context, not the subject. */
export function regionBounds(boundaries: Boundaries): maplibregl.LngLatBoundsLike | null {
  return (
    boundsOf(boundaries.features.filter((f) => f.properties.kind === 'city')) ?? boundsOf(boundaries.features)
  );
}

/** Adds (or the caller later replaces) a GeoJSON source. */
export function addGeoJson(map: maplibregl.Map, id: string, data: unknown): void {
  map.addSource(id, { type: 'geojson', data } as unknown as SourceSpecification);
}

/** The source every base map has once loaded: the region's boundaries, by `kind` and `id`. */
export const BOUNDARIES = 'boundaries';

/**
 * A map of the region with nothing from the internet: fitted to its cities, zoomed and panned but
 * never rotated or tilted, with zoom buttons, and the boundaries added as a source on load (before
 * the caller's own `load` listeners run). Null, with the reason given to `onFailure`, without WebGL.
 */
export function openBaseMap(
  container: HTMLElement,
  boundaries: Boundaries,
  padding: number,
  onFailure: (message: string) => void,
): maplibregl.Map | null {
  let map: maplibregl.Map;
  try {
    map = new maplibregl.Map({
      container,
      style: OFFLINE_STYLE,
      bounds: regionBounds(boundaries) ?? undefined,
      fitBoundsOptions: { padding },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      renderWorldCopies: false,
    });
  } catch (err) {
    onFailure(err instanceof Error ? err.message : String(err));
    return null;
  }
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.on('load', () => addGeoJson(map, BOUNDARIES, boundaries));
  return map;
}

interface LabelOptions {
  className: string;
  at: maplibregl.LngLatLike;
  text?: string;
  anchor?: 'center' | 'left';
  offset?: [number, number];
}

/** A label as an HTML marker (the offline style has no glyphs); its element is `marker.getElement()`. */
export function addLabel(
  map: maplibregl.Map,
  { className, at, text = '', anchor = 'center', offset = [0, 0] }: LabelOptions,
): maplibregl.Marker {
  const el = document.createElement('div');
  el.className = className;
  el.textContent = text;
  return new maplibregl.Marker({ element: el, anchor, offset }).setLngLat(at).addTo(map);
}
