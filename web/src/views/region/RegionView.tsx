import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import type { Region } from '../../api.ts';
import { jurisdictionColors } from '../../colors.ts';
import { Loading } from '../../components/Loading.tsx';
import { ui, useName, useText } from '../../i18n.tsx';
import { CityTable } from './CityTable.tsx';
import { Headline } from './Headline.tsx';

// Separate chunks: MapLibre and ECharts are large and load in parallel once this view opens.
const RegionMap = lazy(() => import('./RegionMap.tsx'));
const PopulationChart = lazy(() => import('./PopulationChart.tsx'));

export default function RegionView({ region }: { region: Region }) {
  const t = useText();
  const name = useName();
  const colors = useMemo(() => jurisdictionColors(region.jurisdictions), [region]);
  const [hoverId, setHoverId] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const highlightId = hoverId ?? selectedId;
  const select = useCallback((id: string) => setSelectedId((current) => (current === id ? null : id)), []);
  const shared = { region, colors, highlightId, onHover: setHoverId, onSelect: select };

  return (
    <div className="region-view">
      <div className="view-title">
        <h1>{name(region.name)}</h1>
        <p className="muted">{t(ui.regionOverview)}</p>
      </div>
      <Headline region={region} />
      <div className="region-grid">
        <section className="card map-card" aria-labelledby="map-title">
          <div className="card-head">
            <h2 id="map-title">{t(ui.mapTitle)}</h2>
            <span className="muted small">{t(ui.mapHint)}</span>
          </div>
          <Suspense
            fallback={
              <div className="map-frame">
                <Loading />
              </div>
            }
          >
            <RegionMap {...shared} />
          </Suspense>
        </section>
        <section className="card table-card" aria-labelledby="table-title">
          <div className="card-head">
            <h2 id="table-title">{t(ui.tableTitle)}</h2>
          </div>
          <CityTable {...shared} selectedId={selectedId} />
        </section>
        <section className="card chart-card" aria-labelledby="chart-title">
          <div className="card-head">
            <h2 id="chart-title">{t(ui.chartTitle)}</h2>
          </div>
          <Suspense fallback={<Loading />}>
            <PopulationChart {...shared} />
          </Suspense>
        </section>
      </div>
    </div>
  );
}
