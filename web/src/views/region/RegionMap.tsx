import { useEffect, useRef, useState } from 'react';
import { api, type Boundaries, type City, type LinkedPlace, type Region } from '../../api.ts';
import { FALLBACK_COLOR } from '../../colors.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useLang, useName } from '../../i18n.tsx';
import { addLabel, BOUNDARIES, type maplibregl, openBaseMap } from '../../mapBase.ts';
import { useFetch } from '../../useFetch.ts';
import { MapLegend } from './MapLegend.tsx';

const NONE = '\u0000';

interface RegionMapProps {
  region: Region;
  colors: Map<string, string>;
  highlightId: string | null;
  onHover: (cityId: string | null) => void;
  onSelect: (cityId: string) => void;
}

function fillColorExpression(cities: City[], colors: Map<string, string>) {
  if (cities.length === 0) return FALLBACK_COLOR;
  const pairs = cities.flatMap((c) => [c.id, colors.get(c.jurisdiction) ?? FALLBACK_COLOR]);
  // The tuple type cannot express a variable number of match arms.
  return ['match', ['get', 'id'], ...pairs, FALLBACK_COLOR] as unknown as maplibregl.ExpressionSpecification;
}

function addLayers(map: maplibregl.Map, region: Region, colors: Map<string, string>): void {
  const isKind = (kind: string): maplibregl.FilterSpecification => ['==', ['get', 'kind'], kind];
  map.addLayer({
    id: 'linked-fill',
    type: 'fill',
    source: BOUNDARIES,
    filter: isKind('linked'),
    paint: { 'fill-color': '#c7cdd4', 'fill-opacity': 0.45 },
  });
  map.addLayer({
    id: 'city-fill',
    type: 'fill',
    source: BOUNDARIES,
    filter: isKind('city'),
    paint: { 'fill-color': fillColorExpression(region.cities, colors), 'fill-opacity': 0.5 },
  });
  map.addLayer({
    id: 'city-fill-highlight',
    type: 'fill',
    source: BOUNDARIES,
    filter: ['==', ['get', 'id'], NONE],
    paint: { 'fill-color': fillColorExpression(region.cities, colors), 'fill-opacity': 0.85 },
  });
  map.addLayer({
    id: 'linked-outline',
    type: 'line',
    source: BOUNDARIES,
    filter: isKind('linked'),
    paint: { 'line-color': '#8a949e', 'line-width': 1, 'line-dasharray': [1, 2] },
  });
  map.addLayer({
    id: 'city-outline',
    type: 'line',
    source: BOUNDARIES,
    filter: isKind('city'),
    paint: { 'line-color': '#ffffff', 'line-width': 1.5 },
  });
  map.addLayer({
    id: 'district-outline',
    type: 'line',
    source: BOUNDARIES,
    filter: isKind('district'),
    paint: { 'line-color': '#b8322a', 'line-width': 2, 'line-dasharray': [3, 2] },
  });
  map.addLayer({
    id: 'city-outline-highlight',
    type: 'line',
    source: BOUNDARIES,
    filter: ['==', ['get', 'id'], NONE],
    paint: { 'line-color': '#1d2733', 'line-width': 2.5 },
  });
}

export default function RegionMap(props: RegionMapProps) {
  const boundaries = useFetch((signal) => api.boundaries(signal), props.region.id);
  if (boundaries.state === 'failed') return <ErrorPanel error={boundaries.error} />;
  const kinds = new Set(
    boundaries.state === 'ready' ? boundaries.data.features.map((f) => f.properties.kind) : [],
  );
  return (
    <>
      <div className="map-frame">
        {boundaries.state === 'ready' ? (
          <MapCanvas {...props} boundaries={boundaries.data} />
        ) : (
          <div className="region-map" data-testid="region-map" data-loaded="false">
            <Loading />
          </div>
        )}
      </div>
      <MapLegend region={props.region} colors={props.colors} kinds={kinds} />
    </>
  );
}

function MapCanvas({
  region,
  boundaries,
  colors,
  highlightId,
  onHover,
  onSelect,
}: RegionMapProps & { boundaries: Boundaries }) {
  const { language } = useLang();
  const name = useName();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const labelsRef = useRef(new Map<string, HTMLElement>());
  const callbacks = useRef({ onHover, onSelect });
  callbacks.current = { onHover, onSelect };
  const [loaded, setLoaded] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = openBaseMap(container, boundaries, 28, setFailure);
    if (!map) return;
    mapRef.current = map;

    const labels = labelsRef.current;
    const markers: maplibregl.Marker[] = [];
    const label = (className: string, key: 'city' | 'place', place: City | LinkedPlace) => {
      const marker = addLabel(map, { className, at: place.centroid });
      marker.getElement().dataset[key] = place.id;
      labels.set(place.id, marker.getElement());
      markers.push(marker);
    };
    for (const city of region.cities) label('city-label', 'city', city);
    const linkedWithShape = new Set(
      boundaries.features.filter((f) => f.properties.kind === 'linked').map((f) => f.properties.id),
    );
    for (const place of region.linkedPlaces)
      if (linkedWithShape.has(place.id)) label('city-label linked-label', 'place', place);

    map.on('load', () => {
      addLayers(map, region, colors);
      map.on('mousemove', 'city-fill', (e) => {
        const id = e.features?.[0]?.properties?.id;
        if (typeof id === 'string') callbacks.current.onHover(id);
        map.getCanvas().style.cursor = 'pointer';
      });
      map.on('mouseleave', 'city-fill', () => {
        callbacks.current.onHover(null);
        map.getCanvas().style.cursor = '';
      });
      map.on('click', 'city-fill', (e) => {
        const id = e.features?.[0]?.properties?.id;
        if (typeof id === 'string') callbacks.current.onSelect(id);
      });
      // Loaded means painted: the map is idle once the boundaries have been rendered.
      map.once('idle', () => setLoaded(true));
    });

    return () => {
      for (const m of markers) m.remove();
      labels.clear();
      map.remove();
      mapRef.current = null;
      setLoaded(false);
    };
  }, [region, boundaries]);

  useEffect(() => {
    for (const place of [...region.cities, ...region.linkedPlaces]) {
      const el = labelsRef.current.get(place.id);
      if (!el) continue;
      el.textContent = name(place.name);
      el.lang = language;
    }
  }, [region, name, language]);

  useEffect(() => {
    for (const [id, el] of labelsRef.current) el.classList.toggle('active', id === highlightId);
    const map = mapRef.current;
    if (!map || !loaded) return;
    const filter: maplibregl.FilterSpecification = ['==', ['get', 'id'], highlightId ?? NONE];
    map.setFilter('city-fill-highlight', filter);
    map.setFilter('city-outline-highlight', filter);
  }, [highlightId, loaded]);

  if (failure) return <ErrorPanel error={new Error(failure)} />;
  return (
    <div
      ref={containerRef}
      className="region-map"
      data-testid="region-map"
      data-loaded={loaded ? 'true' : 'false'}
    />
  );
}
