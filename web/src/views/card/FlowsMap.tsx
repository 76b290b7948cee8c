import { useEffect, useRef, useState } from 'react';
import { api, type Boundaries, type CityFlow, type LonLat, type Region } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useLang, useName } from '../../i18n.tsx';
import { addGeoJson, addLabel, BOUNDARIES, type maplibregl, openBaseMap } from '../../mapBase.ts';
import { useFetch } from '../../useFetch.ts';

const FLOWS = 'flows';

/**
 * A flow as an arc from one centroid to the other, bowed to its right, so that the two
 * directions between a pair of cities are two lines rather than one drawn twice.
 */
function arc(from: LonLat, to: LonLat, steps = 24): LonLat[] {
  const [x0, y0] = from;
  const [x1, y1] = to;
  const bow = 0.18;
  const cx = (x0 + x1) / 2 + (y1 - y0) * bow;
  const cy = (y0 + y1) / 2 - (x1 - x0) * bow;
  const points: LonLat[] = [];
  for (let i = 0; i <= steps; i++) {
    const s = i / steps;
    const a = (1 - s) * (1 - s);
    const b = 2 * (1 - s) * s;
    const c = s * s;
    points.push([a * x0 + b * cx + c * x1, a * y0 + b * cy + c * y1]);
  }
  return points;
}

function flowFeatures(region: Region, flows: CityFlow[]) {
  const centroid = new Map(region.cities.map((c) => [c.id, c.centroid]));
  const features = [];
  for (const f of flows) {
    const a = centroid.get(f.from);
    const b = centroid.get(f.to);
    if (!a || !b) continue;
    features.push({
      type: 'Feature',
      properties: { from: f.from, to: f.to, trips: f.trips },
      geometry: { type: 'LineString', coordinates: arc(a, b) },
    });
  }
  return { type: 'FeatureCollection', features };
}

export default function FlowsMap({ region, flows }: { region: Region; flows: CityFlow[] }) {
  const boundaries = useFetch((signal) => api.boundaries(signal), region.id);
  if (boundaries.state === 'failed') return <ErrorPanel error={boundaries.error} />;
  return (
    <div className="map-frame">
      {boundaries.state === 'ready' ? (
        <MapCanvas region={region} boundaries={boundaries.data} flows={flows} />
      ) : (
        <div className="region-map" data-testid="flows-map" data-loaded="false">
          <Loading />
        </div>
      )}
    </div>
  );
}

function MapCanvas({
  region,
  boundaries,
  flows,
}: {
  region: Region;
  boundaries: Boundaries;
  flows: CityFlow[];
}) {
  const { language } = useLang();
  const name = useName();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const labelsRef = useRef(new Map<string, HTMLElement>());
  const [loaded, setLoaded] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = openBaseMap(container, boundaries, 28, setFailure);
    if (!map) return;
    mapRef.current = map;
    const markers = region.cities.map((city) => {
      const marker = addLabel(map, { className: 'city-label', at: city.centroid });
      marker.getElement().dataset.city = city.id;
      labelsRef.current.set(city.id, marker.getElement());
      return marker;
    });
    map.on('load', () => {
      map.addLayer({
        id: 'city-fill',
        type: 'fill',
        source: BOUNDARIES,
        filter: ['==', ['get', 'kind'], 'city'],
        paint: { 'fill-color': '#c9d5e0', 'fill-opacity': 0.6 },
      });
      map.addLayer({
        id: 'city-outline',
        type: 'line',
        source: BOUNDARIES,
        filter: ['==', ['get', 'kind'], 'city'],
        paint: { 'line-color': '#ffffff', 'line-width': 1.5 },
      });
      addGeoJson(map, FLOWS, flowFeatures(region, []));
      map.addLayer({
        id: 'flow-lines',
        type: 'line',
        source: FLOWS,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': '#1f4f8f',
          'line-opacity': 0.7,
          // Width by trips, against the day's busiest flow (set with the data).
          'line-width': ['interpolate', ['linear'], ['get', 'trips'], 0, 1, 1, 1],
        },
      });
      map.once('idle', () => setLoaded(true));
    });
    return () => {
      for (const m of markers) m.remove();
      labelsRef.current.clear();
      map.remove();
      mapRef.current = null;
      setLoaded(false);
    };
  }, [region, boundaries]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const source = map.getSource(FLOWS) as maplibregl.GeoJSONSource | undefined;
    source?.setData(flowFeatures(region, flows) as Parameters<maplibregl.GeoJSONSource['setData']>[0]);
    const most = Math.max(1, ...flows.map((f) => f.trips));
    map.setPaintProperty('flow-lines', 'line-width', [
      'interpolate',
      ['linear'],
      ['get', 'trips'],
      0,
      1,
      most,
      14,
    ]);
  }, [region, flows, loaded]);

  useEffect(() => {
    for (const city of region.cities) {
      const el = labelsRef.current.get(city.id);
      if (!el) continue;
      el.textContent = name(city.name);
      el.lang = language;
    }
  }, [region, name, language]);

  if (failure) return <ErrorPanel error={new Error(failure)} />;
  return (
    <div
      ref={containerRef}
      className="region-map"
      data-testid="flows-map"
      data-loaded={loaded ? 'true' : 'false'}
      data-flows={flows.length}
    />
  );
}
