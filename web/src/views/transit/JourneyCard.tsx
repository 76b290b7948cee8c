import type { Journey, Leg } from '../../api.ts';
import { type Lang, useLang, useText } from '../../i18n.tsx';
import { RouteBadge } from './RouteBadge.tsx';
import { tx } from './text.ts';
import { clockTime, durationText, routeColor, stopName, transfersText } from './util.ts';

function Clock({ time }: { time: string }) {
  const t = useText();
  const { text, nextDay } = clockTime(time);
  return (
    <time className="clock">
      {text}
      {nextDay && (
        <sup className="next-day" title={t(tx.nextDay)}>
          +1
        </sup>
      )}
    </time>
  );
}

type Headsign = (text: string, lang: Lang) => string;

function RideLeg({ leg, headsign }: { leg: Extract<Leg, { kind: 'ride' }>; headsign: Headsign }) {
  const { lang } = useLang();
  const t = useText();
  const intermediate = Math.max(0, leg.stops.length - 2);
  return (
    <li className="leg leg-ride" style={{ '--leg-color': routeColor(leg.route) } as React.CSSProperties}>
      <div className="leg-stop">
        <Clock time={leg.departure.time} />
        <span className="leg-station">{stopName(leg.from, lang)}</span>
      </div>
      <div className="leg-line">
        <RouteBadge route={leg.route} />
        <span className="muted small">
          {t(tx.towards)} {headsign(leg.trip.headsign, lang)} ·{' '}
          {durationText(leg.arrival.seconds - leg.departure.seconds, lang)}
          {intermediate > 0 && ` · ${intermediate + 1} ${t(tx.stopsCount)}`}
        </span>
      </div>
      <div className="leg-stop">
        <Clock time={leg.arrival.time} />
        <span className="leg-station">{stopName(leg.to, lang)}</span>
      </div>
    </li>
  );
}

function WalkLeg({ leg }: { leg: Extract<Leg, { kind: 'walk' }> }) {
  const { lang } = useLang();
  const t = useText();
  return (
    <li className="leg leg-walk">
      <span className="walk-icon" aria-hidden="true">
        ⋯
      </span>
      <span>
        {t(tx.walkTo)} {stopName(leg.to, lang)} · {durationText(leg.duration, lang)}
      </span>
    </li>
  );
}

/** Waiting between arriving on one train and leaving on the next, shown where it happens. */
function Wait({ seconds }: { seconds: number }) {
  const { lang } = useLang();
  const t = useText();
  if (seconds < 60) return null;
  return (
    <li className="leg leg-wait muted small">
      {t(tx.wait)} {durationText(seconds, lang)}
    </li>
  );
}

interface JourneyCardProps {
  journey: Journey;
  index: number;
  selected: boolean;
  tags: string[];
  headsign: Headsign;
  onSelect: () => void;
}

export function JourneyCard({ journey, index, selected, tags, headsign, onSelect }: JourneyCardProps) {
  const { lang } = useLang();
  const items: React.ReactNode[] = [];
  journey.legs.forEach((leg, i) => {
    const previous = journey.legs[i - 1];
    if (previous && leg.kind === 'ride')
      items.push(<Wait key={`wait-${i}`} seconds={leg.departure.seconds - previous.arrival.seconds} />);
    items.push(
      leg.kind === 'ride' ? (
        <RideLeg key={`leg-${i}`} leg={leg} headsign={headsign} />
      ) : (
        <WalkLeg key={`leg-${i}`} leg={leg} />
      ),
    );
  });
  return (
    <article
      className={`card journey${selected ? ' selected' : ''}`}
      data-journey={index}
      aria-current={selected ? 'true' : undefined}
    >
      <button type="button" className="journey-head" onClick={onSelect} aria-pressed={selected}>
        <span className="journey-times">
          <Clock time={journey.departure.time} />
          <span className="arrow" aria-hidden="true">
            →
          </span>
          <Clock time={journey.arrival.time} />
        </span>
        <span className="journey-duration">{durationText(journey.duration, lang)}</span>
        <span className={`journey-transfers${journey.transfers === 0 ? ' direct' : ''}`}>
          {transfersText(journey.transfers, lang)}
        </span>
        {tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </button>
      <ol className="legs">{items}</ol>
    </article>
  );
}
