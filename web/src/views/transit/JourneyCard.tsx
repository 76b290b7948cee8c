import type { Instant, Leg, PricedJourney } from '../../api.ts';
import { type Lang, useLang, useText } from '../../i18n.tsx';
import { RouteBadge } from './RouteBadge.tsx';
import { tx } from './text.ts';
import { durationText, routeColor, secondsBetween, stopClock, stopName, transfersText } from './util.ts';

/** The date and offset a journey's times are read against: those of its departure. */
interface Ref {
  date: string;
  offset: string;
}

/** A time on the stop's own clocks, marked +N when it falls N days after the journey left, and with its UTC offset where the zone changed. */
function Clock({ at, base }: { at: Instant; base: Ref }) {
  const t = useText();
  const { text, days, offset } = stopClock(at, base.date, base.offset);
  return (
    <time className="clock" dateTime={at.utc} title={`${at.localDate} ${at.localTime} ${at.zone}`}>
      {text}
      {days !== 0 && (
        <sup className="next-day" title={`${at.localDate} (${t(tx.nextDay)})`}>
          {days > 0 ? `+${days}` : days}
        </sup>
      )}
      {offset && <span className="clock-zone muted small"> {offset}</span>}
    </time>
  );
}

type Headsign = (text: string, lang: Lang) => string;

/** An amount in minor units (fen) as money: ¥41.50. */
const money = (fen: number, currency: string | null) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency: currency ?? 'CNY' }).format(fen / 100);

function RideLeg({
  leg,
  headsign,
  clockRef,
  fare,
}: {
  leg: Extract<Leg, { kind: 'ride' }>;
  headsign: Headsign;
  clockRef: Ref;
  fare: string | null;
}) {
  const { lang } = useLang();
  const t = useText();
  const intermediate = Math.max(0, leg.stops.length - 2);
  return (
    <li className="leg leg-ride" style={{ '--leg-color': routeColor(leg.route) } as React.CSSProperties}>
      <div className="leg-stop">
        <Clock at={leg.departure} base={clockRef} />
        <span className="leg-station">{stopName(leg.from, lang)}</span>
      </div>
      <div className="leg-line">
        <RouteBadge route={leg.route} />
        <span className="muted small">
          {t(tx.towards)} {headsign(leg.trip.headsign, lang)} ·{' '}
          {durationText(secondsBetween(leg.departure, leg.arrival), lang)}
          {intermediate > 0 && ` · ${intermediate + 1} ${t(tx.stopsCount)}`}
          {fare && <span className="leg-fare"> · {fare}</span>}
        </span>
      </div>
      <div className="leg-stop">
        <Clock at={leg.arrival} base={clockRef} />
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
  journey: PricedJourney;
  index: number;
  selected: boolean;
  tags: string[];
  headsign: Headsign;
  onSelect: () => void;
}

export function JourneyCard({ journey, index, selected, tags, headsign, onSelect }: JourneyCardProps) {
  const { lang } = useLang();
  const t = useText();
  const { fare } = journey;
  const clockRef = { date: journey.departure.localDate, offset: journey.departure.utcOffset };
  const items: React.ReactNode[] = [];
  journey.legs.forEach((leg, i) => {
    const previous = journey.legs[i - 1];
    if (previous && leg.kind === 'ride')
      items.push(<Wait key={`wait-${i}`} seconds={secondsBetween(previous.arrival, leg.departure)} />);
    items.push(
      leg.kind === 'ride' ? (
        <RideLeg
          key={`leg-${i}`}
          leg={leg}
          headsign={headsign}
          clockRef={clockRef}
          fare={fare.legs[i] === null ? null : money(fare.legs[i], fare.currency)}
        />
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
          <Clock at={journey.departure} base={clockRef} />
          <span className="arrow" aria-hidden="true">
            →
          </span>
          <Clock at={journey.arrival} base={clockRef} />
        </span>
        <span className="journey-duration">{durationText(journey.duration, lang)}</span>
        <span className={`journey-transfers${journey.transfers === 0 ? ' direct' : ''}`}>
          {transfersText(journey.transfers, lang)}
        </span>
        <span className="journey-fare" title={fare.total === null ? (fare.reason ?? '') : t(tx.fareOnCard)}>
          {fare.total === null ? t(tx.noFare) : money(fare.total, fare.currency)}
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
