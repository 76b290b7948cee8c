import type { Region } from '../../api.ts';
import { formatInteger, formatPopulation } from '../../format.ts';
import { ui, useLang, useText } from '../../i18n.tsx';

export function Headline({ region }: { region: Region }) {
  const { lang } = useLang();
  const t = useText();
  const population = region.cities.reduce((sum, c) => sum + c.population, 0);
  const area = region.cities.reduce((sum, c) => sum + c.areaKm2, 0);
  const figures = [
    { key: 'cities', label: t(ui.cities), value: formatInteger(region.cities.length, lang) },
    {
      key: 'jurisdictions',
      label: t(ui.jurisdictions),
      value: formatInteger(region.jurisdictions.length, lang),
    },
    { key: 'population', label: t(ui.totalPopulation), value: formatPopulation(population, lang) },
    { key: 'area', label: t(ui.totalArea), value: `${formatInteger(area, lang)} km²` },
  ];
  return (
    <dl className="headline" data-testid="headline">
      {figures.map((f) => (
        <div className="card stat" key={f.key} data-figure={f.key}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
