import { useMemo, useState } from 'react';
import type { City, Region } from '../../api.ts';
import { FALLBACK_COLOR } from '../../colors.ts';
import { density, formatInteger, formatPopulation } from '../../format.ts';
import { ui, useLang, useName, useText } from '../../i18n.tsx';

type SortKey = 'name' | 'jurisdiction' | 'population' | 'area' | 'density';
type SortDir = 'asc' | 'desc';

interface CityTableProps {
  region: Region;
  colors: Map<string, string>;
  highlightId: string | null;
  selectedId: string | null;
  onHover: (cityId: string | null) => void;
  onSelect: (cityId: string) => void;
}

function sortValue(
  city: City,
  key: SortKey,
  name: (city: City) => string,
  jurisdictionName: (id: string) => string,
) {
  switch (key) {
    case 'name':
      return name(city);
    case 'jurisdiction':
      return jurisdictionName(city.jurisdiction);
    case 'population':
      return city.population;
    case 'area':
      return city.areaKm2;
    case 'density':
      return density(city.population, city.areaKm2);
  }
}

export function CityTable({ region, colors, highlightId, selectedId, onHover, onSelect }: CityTableProps) {
  const { lang, language } = useLang();
  const t = useText();
  const name = useName();
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'population', dir: 'desc' });

  const jurisdictionName = useMemo(() => {
    const names = new Map(region.jurisdictions.map((j) => [j.id, name(j.name)]));
    return (id: string) => names.get(id) ?? id;
  }, [region, name]);

  const rows = useMemo(() => {
    // Names sort as the language they are shown in sorts them.
    const collator = new Intl.Collator(language, { numeric: true });
    const sign = sort.dir === 'asc' ? 1 : -1;
    const cityName = (c: City) => name(c.name);
    return [...region.cities].sort((a, b) => {
      const x = sortValue(a, sort.key, cityName, jurisdictionName);
      const y = sortValue(b, sort.key, cityName, jurisdictionName);
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return sign * order;
    });
  }, [region, sort, language, name, jurisdictionName]);

  const totals = useMemo(() => {
    const population = region.cities.reduce((s, c) => s + c.population, 0);
    const area = region.cities.reduce((s, c) => s + c.areaKm2, 0);
    return { population, area, density: density(population, area) };
  }, [region]);

  const years = [...new Set(region.cities.map((c) => c.populationYear))].sort();

  const columns: { key: SortKey; label: string; numeric: boolean }[] = [
    { key: 'name', label: t(ui.colCity), numeric: false },
    { key: 'jurisdiction', label: t(ui.colJurisdiction), numeric: false },
    { key: 'population', label: t(ui.colPopulation), numeric: true },
    { key: 'area', label: t(ui.colArea), numeric: true },
    { key: 'density', label: t(ui.colDensity), numeric: true },
  ];

  const toggleSort = (key: SortKey) =>
    setSort((s) =>
      s.key === key
        ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' }
        : { key, dir: key === 'name' || key === 'jurisdiction' ? 'asc' : 'desc' },
    );

  return (
    <div className="table-wrap">
      <table className="city-table" data-testid="city-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.numeric ? 'num' : undefined}
                aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              >
                <button type="button" onClick={() => toggleSort(c.key)} data-sort={c.key}>
                  {c.label}
                  <span className="sort-mark" aria-hidden="true">
                    {sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody onMouseLeave={() => onHover(null)}>
          {rows.map((city) => {
            const classes = [
              city.id === highlightId ? 'highlight' : '',
              city.id === selectedId ? 'selected' : '',
            ].join(' ');
            return (
              <tr
                key={city.id}
                data-city={city.id}
                className={classes.trim() || undefined}
                aria-selected={city.id === selectedId}
                onMouseEnter={() => onHover(city.id)}
                onClick={() => onSelect(city.id)}
              >
                <th scope="row">{name(city.name)}</th>
                <td>
                  <span
                    className="dot"
                    style={{ background: colors.get(city.jurisdiction) ?? FALLBACK_COLOR }}
                    aria-hidden="true"
                  />
                  {jurisdictionName(city.jurisdiction)}
                </td>
                <td className="num">{formatPopulation(city.population, lang)}</td>
                <td className="num">{formatInteger(city.areaKm2, lang)}</td>
                <td className="num">{formatInteger(density(city.population, city.areaKm2), lang)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t(ui.total)}</th>
            <td />
            <td className="num">{formatPopulation(totals.population, lang)}</td>
            <td className="num">{formatInteger(totals.area, lang)}</td>
            <td className="num">{formatInteger(totals.density, lang)}</td>
          </tr>
        </tfoot>
      </table>
      {years.length > 0 && (
        <p className="table-note muted">
          {t(ui.populationYear)}: {years.join(', ')}
        </p>
      )}
    </div>
  );
}
