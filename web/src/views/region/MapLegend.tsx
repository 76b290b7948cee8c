import type { BoundaryKind, Region } from '../../api.ts';
import { FALLBACK_COLOR } from '../../colors.ts';
import { ui, useName, useText } from '../../i18n.tsx';

interface MapLegendProps {
  region: Region;
  colors: Map<string, string>;
  /** Which kinds of boundary the map actually draws. */
  kinds: Set<BoundaryKind>;
}

export function MapLegend({ region, colors, kinds }: MapLegendProps) {
  const t = useText();
  const name = useName();
  const demonstration = region.districts.some((d) => d.zone.includes('demonstration'));
  return (
    <ul className="legend" data-testid="map-legend">
      {region.jurisdictions.map((j) => (
        <li key={j.id}>
          <span className="swatch" style={{ background: colors.get(j.id) ?? FALLBACK_COLOR }} />
          {name(j.name)}
        </li>
      ))}
      {kinds.has('district') && (
        <li>
          <span className="swatch swatch-dashed" />
          {t(demonstration ? ui.demoZone : ui.districts)}
        </li>
      )}
      {kinds.has('linked') && (
        <li>
          <span className="swatch swatch-linked" />
          {t(ui.linkedPlace)}
        </li>
      )}
    </ul>
  );
}
