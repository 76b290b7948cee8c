import { useEffect, useRef, useState } from 'react';
import { api, type Boundaries, type City, type Region } from '../../api.ts';
import { FALLBACK_COLOR } from '../../colors.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useLang } from '../../i18n.tsx';
import { boundsOf, maplibregl, OFFLINE_STYLE, type SourceSpecification } from '../../mapBase.ts';
import { useFetch } from '../../useFetch.ts';
import { MapLegend } from './MapLegend.tsx';

const SOURCE = 'boundaries';
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
    source: SOURCE,
    filter: isKind('linked'),
    paint: { 'fill-color': '#c7cdd4', 'fill-opacity': 0.45 },
  });
  map.addLayer({
    id: 'city-fill',
    type: 'fill',
    source: SOURCE,
    filter: isKind('city'),
    paint: { 'fill-color': fillColorExpression(region.cities, colors), 'fill-opacity': 0.5 },
  });
  map.addLayer({
    id: 'city-fill-highlight',
    type: 'fill',
    source: SOURCE,
    filter: ['==', ['get', 'id'], NONE],
    paint: { 'fill-color': fillColorExpression(region.cities, colors), 'fill-opacity': 0.85 },
  });
  map.addLayer({
    id: 'linked-outline',
    type: 'line',
    source: SOURCE,
    filter: isKind('linked'),
    paint: { 'line-color': '#8a949e', 'line-width': 1, 'line-dasharray': [1, 2] },
  });
  map.addLayer({
    id: 'city-outline',
    type: 'line',
    source: SOURCE,
    filter: isKind('city'),
    paint: { 'line-color': '#ffffff', 'line-width': 1.5 },
  });
  map.addLayer({
    id: 'district-outline',
    type: 'line',
    source: SOURCE,
    filter: isKind('district'),
    paint: { 'line-color': '#b8322a', 'line-width': 2, 'line-dasharray': [3, 2] },
  });
  map.addLayer({
    id: 'city-outline-highlight',
    type: 'line',
    source: SOURCE,
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
  const { lang } = useLang();
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
    let map: maplibregl.Map;
    try {
      map = new maplibregl.Map({
        container,
        style: OFFLINE_STYLE,
        // Fit the member cities; linked places outside them are context, not the subject.
        bounds:
          boundsOf(boundaries.features.filter((f) => f.properties.kind === 'city')) ??
          boundsOf(boundaries.features) ??
          undefined,
        fitBoundsOptions: { padding: 28 },
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        renderWorldCopies: false,
      });
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
      return;
    }
    mapRef.current = map;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');

    const labels = labelsRef.current;
    const markers: maplibregl.Marker[] = [];
    for (const city of region.cities) {
      const el = document.createElement('div');
      el.className = 'city-label';
      el.dataset.city = city.id;
      labels.set(city.id, el);
      markers.push(
        new maplibregl.Marker({ element: el, anchor: 'center' }).setLngLat(city.centroid).addTo(map),
      );
    }

    const linkedWithShape = new Set(
      boundaries.features.filter((f) => f.properties.kind === 'linked').map((f) => f.properties.id),
    );
    for (const place of region.linkedPlaces) {
      if (!linkedWithShape.has(place.id)) continue;
      const el = document.createElement('div');
      el.className = 'city-label linked-label';
      el.dataset.place = place.id;
      labels.set(place.id, el);
      markers.push(
        new maplibregl.Marker({ element: el, anchor: 'center' }).setLngLat(place.centroid).addTo(map),
      );
    }

    map.on('load', () => {
      map.addSource(SOURCE, { type: 'geojson', data: boundaries } as unknown as SourceSpecification);
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
      setLoaded(true);
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
      if (el) el.textContent = place.name[lang];
    }
  }, [region, lang]);

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
