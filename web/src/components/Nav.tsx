import { ui, useText } from '../i18n.tsx';
import { MODULES } from '../modules.ts';
import { type Route, routeHref } from '../router.ts';

export function Nav({ current }: { current: Route | null }) {
  const t = useText();
  return (
    <nav className="app-nav" aria-label={t(ui.navLabel)}>
      <ul>
        {MODULES.map((m) => (
          <li key={m.route}>
            <a
              href={routeHref(m.route)}
              className={m.route === current ? 'active' : undefined}
              aria-current={m.route === current ? 'page' : undefined}
              data-route={m.route}
            >
              <span className="nav-label">{t(m.label)}</span>
              {!m.live && <span className="badge">{t(ui.coming)}</span>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
