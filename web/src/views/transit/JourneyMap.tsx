import { useEffect, useRef, useState } from 'react';
import { api, type Boundaries, type Journey, type Region, type Stop } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useLang, useName, useText } from '../../i18n.tsx';
import { addGeoJson, addLabel, BOUNDARIES, maplibregl, openBaseMap, regionBounds } from '../../mapBase.ts';
import { useFetch } from '../../useFetch.ts';
import { tx } from './text.ts';
import { routeColor, stopName } from './util.ts';

interface JourneyMapProps {
  region: Region;
  stops: Stop[];
  journey: Journey | null;
}

type Feature = { type: 'Feature'; properties: Record<string, string>; geometry: unknown };
const collection = (features: Feature[]) => ({ type: 'FeatureCollection' as const, features });
const lonLat = (s: Stop): [number, number] => [s.lon, s.lat];

function journeyFeatures(journey: Journey | null) {
  const lines: Feature[] = [];
  const points: Feature[] = [];
  if (!journey) return { lines, points };
  for (const leg of journey.legs) {
    const path = leg.kind === 'ride' ? leg.stops.map(lonLat) : [lonLat(leg.from), lonLat(leg.to)];
    lines.push({
      type: 'Feature',
      properties: { kind: leg.kind, color: leg.kind === 'ride' ? routeColor(leg.route) : '#3a4652' },
      geometry: { type: 'LineString', coordinates: path },
    });
    if (leg.kind === 'ride') {
      for (const s of leg.stops.slice(1, -1))
        points.push({
          type: 'Feature',
          properties: { role: 'via', color: routeColor(leg.route) },
          geometry: { type: 'Point', coordinates: lonLat(s) },
        });
    }
  }
  return { lines, points };
}

/** Where the traveller gets on, changes and gets off: labelled on the map. */
function keyStops(journey: Journey | null): Stop[] {
  if (!journey) return [];
  const seen = new Map<string, Stop>();
  for (const leg of journey.legs) {
    seen.set(leg.from.id, leg.from);
    seen.set(leg.to.id, leg.to);
  }
  return [...seen.values()];
}

export default function JourneyMap(props: JourneyMapProps) {
  const boundaries = useFetch((signal) => api.boundaries(signal), props.region.id);
  const t = useText();
  if (boundaries.state === 'failed') return <ErrorPanel error={boundaries.error} />;
  return (
    <>
      <div className="map-frame transit-map-frame">
        {boundaries.state === 'ready' ? (
          <MapCanvas {...props} boundaries={boundaries.data} />
        ) : (
          <div className="region-map" data-testid="transit-map" data-loaded="false">
            <Loading />
          </div>
        )}
      </div>
      <ul className="legend">
        <li>
          <span className="legend-dot" />
          {t(tx.legendStation)}
        </li>
        <li>
          <span className="legend-end" />
          {t(tx.legendEnds)}
        </li>
        <li>
          <span className="legend-walk" />
          {t(tx.legendWalk)}
        </li>
      </ul>
    </>
  );
}

function MapCanvas({ region, stops, journey, boundaries }: JourneyMapProps & { boundaries: Boundaries }) {
  const { lang } = useLang();
  const name = useName();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  const [drawn, setDrawn] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const cityBounds = regionBounds(boundaries);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = openBaseMap(container, boundaries, 24, setFailure);
    if (!map) return;
    mapRef.current = map;
    map.on('load', () => {
      const stations = collection(
        stops.map((s) => ({
          type: 'Feature',
          properties: { id: s.id },
          geometry: { type: 'Point', coordinates: lonLat(s) },
        })),
      );
      addGeoJson(map, 'stations', stations);
      for (const id of ['journey', 'via', 'ends']) addGeoJson(map, id, collection([]));
      // The region as a quiet grey ground: the journey is the subject.
      const places: Pick<maplibregl.FillLayerSpecification, 'source' | 'filter'> = {
        source: BOUNDARIES,
        filter: ['in', ['get', 'kind'], ['literal', ['city', 'linked']]],
      };
      map.addLayer({
        id: 'city-fill',
        type: 'fill',
        ...places,
        paint: { 'fill-color': ['match', ['get', 'kind'], 'city', '#f7f9fa', '#eef1f4'], 'fill-opacity': 1 },
      });
      map.addLayer({
        id: 'city-outline',
        type: 'line',
        ...places,
        paint: { 'line-color': '#b4bec8', 'line-width': 1 },
      });
      map.addLayer({
        id: 'stations',
        type: 'circle',
        source: 'stations',
        paint: {
          'circle-radius': 2.6,
          'circle-color': '#8a96a3',
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 0.8,
        },
      });
      // Rides in their route's colour on a white casing.
      const ride: Omit<maplibregl.LineLayerSpecification, 'id' | 'paint'> = {
        type: 'line',
        source: 'journey',
        filter: ['==', ['get', 'kind'], 'ride'],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
      };
      map.addLayer({ id: 'journey-casing', ...ride, paint: { 'line-color': '#ffffff', 'line-width': 8 } });
      map.addLayer({
        id: 'journey-ride',
        ...ride,
        paint: { 'line-color': ['get', 'color'], 'line-width': 4.5 },
      });
      map.addLayer({
        id: 'journey-walk',
        type: 'line',
        source: 'journey',
        filter: ['==', ['get', 'kind'], 'walk'],
        paint: { 'line-color': '#3a4652', 'line-width': 2.5, 'line-dasharray': [1.5, 1.5] },
      });
      map.addLayer({
        id: 'via',
        type: 'circle',
        source: 'via',
        paint: {
          'circle-radius': 3,
          'circle-color': '#ffffff',
          'circle-stroke-color': ['get', 'color'],
          'circle-stroke-width': 1.5,
        },
      });
      map.addLayer({
        id: 'ends',
        type: 'circle',
        source: 'ends',
        paint: {
          'circle-radius': 6,
          'circle-color': '#ffffff',
          'circle-stroke-color': '#1d2733',
          'circle-stroke-width': 2.5,
        },
      });
      setReady(true);
    });
    return () => {
      map.remove();
      mapRef.current = null;
      setReady(false);
    };
  }, [boundaries, stops]);

  // City names as faint HTML labels (no glyph server), and the journey's stations as strong ones.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const markers: maplibregl.Marker[] = [];
    const shown = keyStops(journey);
    // A city where the traveller boards or alights is named by its station's label already.
    const named = new Set(shown.map((s) => s.city));
    for (const c of region.cities)
      if (!named.has(c.id))
        markers.push(
          addLabel(map, { className: 'city-label transit-city-label', text: name(c.name), at: c.centroid }),
        );
    for (const s of shown)
      markers.push(
        addLabel(map, {
          className: 'station-label',
          text: stopName(s, lang),
          at: lonLat(s),
          anchor: 'left',
          offset: [9, 0],
        }),
      );
    return () => {
      for (const m of markers) m.remove();
    };
  }, [journey, region, lang, name, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const { lines, points } = journeyFeatures(journey);
    const ends = keyStops(journey).map((s) => ({
      type: 'Feature' as const,
      properties: { id: s.id },
      geometry: { type: 'Point', coordinates: lonLat(s) },
    }));
    (map.getSource('journey') as maplibregl.GeoJSONSource).setData(collection(lines) as never);
    (map.getSource('via') as maplibregl.GeoJSONSource).setData(collection(points) as never);
    (map.getSource('ends') as maplibregl.GeoJSONSource).setData(collection(ends) as never);
    const coords = lines.flatMap((f) => (f.geometry as { coordinates: [number, number][] }).coordinates);
    if (coords.length > 0) {
      const bounds = coords.reduce((b, c) => b.extend(c), new maplibregl.LngLatBounds(coords[0], coords[0]));
      map.fitBounds(bounds, {
        padding: { top: 50, bottom: 50, left: 60, right: 170 },
        maxZoom: 10,
        duration: 0,
      });
    } else if (cityBounds) {
      map.fitBounds(cityBounds, { padding: 24, duration: 0 });
    }
    // Drawn means painted: the map is idle once the new data and view have been rendered.
    setDrawn(false);
    map.once('idle', () => setDrawn(true));
  }, [journey, ready]);

  if (failure) return <ErrorPanel error={new Error(failure)} />;
  return (
    <div
      ref={containerRef}
      className="region-map"
      data-testid="transit-map"
      data-loaded={ready && drawn ? 'true' : 'false'}
      data-journey-drawn={journey ? 'true' : 'false'}
    />
  );
}
