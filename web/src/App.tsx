import { lazy, Suspense, useEffect, useState } from 'react';
import { api } from './api.ts';
import { ComingPanel } from './components/ComingPanel.tsx';
import { ErrorPanel } from './components/ErrorPanel.tsx';
import { Footer } from './components/Footer.tsx';
import { Header } from './components/Header.tsx';
import { Loading } from './components/Loading.tsx';
import { Nav } from './components/Nav.tsx';
import { ui, usePackLanguages, useText } from './i18n.tsx';
import { MODULES } from './modules.ts';
import { useHashRoute } from './router.ts';
import { useFetch } from './useFetch.ts';

const RegionView = lazy(() => import('./views/region/RegionView.tsx'));
const TransitView = lazy(() => import('./views/transit/TransitView.tsx'));
const CardView = lazy(() => import('./views/card/CardView.tsx'));

export function App() {
  const t = useText();
  const route = useHashRoute();
  const [attempt, setAttempt] = useState(0);
  const region = useFetch((signal) => api.region(signal), `region:${attempt}`);
  const health = useFetch((signal) => api.health(signal), `health:${attempt}`);
  usePackLanguages(region.state === 'ready' ? region.data.languages : undefined);
  const module = MODULES.find((m) => m.route === route);

  useEffect(() => {
    const parts = ['同城 Tongcheng'];
    if (module) parts.unshift(t(module.label));
    document.title = parts.join(' · ');
  }, [module, t]);

  let main: React.ReactNode;
  if (!module) {
    main = (
      <section className="card">
        <p>{t(ui.notFound)}</p>
        <a className="button" href="#/region">
          {t(ui.goToRegion)}
        </a>
      </section>
    );
  } else if (!module.live) {
    main = <ComingPanel module={module} />;
  } else if (region.state === 'failed') {
    main = <ErrorPanel error={region.error} onRetry={() => setAttempt((n) => n + 1)} />;
  } else if (region.state === 'loading') {
    main = <Loading />;
  } else {
    main = (
      <Suspense fallback={<Loading />}>
        {module.route === 'transit' ? (
          <TransitView region={region.data} />
        ) : module.route === 'card' ? (
          <CardView region={region.data} />
        ) : (
          <RegionView region={region.data} />
        )}
      </Suspense>
    );
  }

  return (
    <div className="app">
      <Header region={region.state === 'ready' ? region.data : null} />
      <div className="app-body">
        <Nav current={route} />
        <main className="app-main">{main}</main>
      </div>
      <Footer health={health} />
    </div>
  );
}
