import type { TransitRoute } from '../../api.ts';
import { useLang } from '../../i18n.tsx';
import { routeColor, routeLongName, textOn } from './util.ts';

/** A line's short name on its own colour, as on station signs; the long name is the tooltip. */
export function RouteBadge({ route }: { route: TransitRoute }) {
  const { lang } = useLang();
  const background = routeColor(route);
  return (
    <span
      className="route-badge"
      style={{ background, color: textOn(background) }}
      title={routeLongName(route, lang)}
      data-route-id={route.id}
    >
      {route.shortName || route.id}
    </span>
  );
}
