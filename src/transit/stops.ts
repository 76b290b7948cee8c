/**
 * Finding stops the way people name them: by id, by exact name in any language, or fuzzily
 * ("hongqiao", "Hangzhou East" / "Hangzhoudong"). Matching works on a normalised key (case, spaces and
 * punctuation removed; English compass words also spelt in pinyin), and ranks exact > prefix > substring >
 * small edit distance. Platforms of one station are reported as that station, so the caller can tell a
 * real ambiguity (two stations) from a station with several platforms.
 */
import { problem } from '../lib/errors.ts';
import type { Timetable } from './timetable.ts';

export interface StopMatch {
  /** The station (or stand-alone stop) matched. */
  stop: number;
  id: string;
  name: string;
  names: Record<string, string>;
  /** Boardable stops it stands for: the station's platforms, or the stop itself. */
  stops: number[];
  kind: 'id' | 'exact' | 'prefix' | 'substring' | 'fuzzy';
  /** Lower is better. */
  score: number;
}

const compass: [RegExp, string][] = [
  [/east/g, 'dong'],
  [/west/g, 'xi'],
  [/south/g, 'nan'],
  [/north/g, 'bei'],
];
const suffixes = ['railwaystation', 'station', '站'];

export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The keys a name is known by: as written, without "station"/站, with compass words in pinyin. */
function keysOf(name: string): string[] {
  const base = normalizeName(name);
  const keys = new Set([base]);
  for (const key of [...keys]) {
    for (const suffix of suffixes)
      if (key.endsWith(suffix) && key.length > suffix.length) keys.add(key.slice(0, -suffix.length));
  }
  for (const key of [...keys]) {
    let pinyin = key;
    for (const [word, py] of compass) pinyin = pinyin.replace(word, py);
    keys.add(pinyin);
  }
  return [...keys].filter((k) => k !== '');
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length];
}

interface StopIndex {
  keys: { key: string; station: number }[];
  byId: Map<string, number>;
  children: Map<number, number[]>;
}

const indexes = new WeakMap<Timetable, StopIndex>();

function stationOf(tt: Timetable, s: number): number {
  return tt.stopParent[s] >= 0 ? tt.stopParent[s] : s;
}

function indexFor(tt: Timetable): StopIndex {
  let index = indexes.get(tt);
  if (index) return index;
  const byId = new Map<string, number>();
  const children = new Map<number, number[]>();
  const keys: { key: string; station: number }[] = [];
  for (let s = 0; s < tt.stopCount; s++) {
    byId.set(tt.stopIds[s], s);
    if (tt.stopLocationType[s] !== 0) continue;
    const station = stationOf(tt, s);
    const list = children.get(station) ?? [];
    list.push(s);
    children.set(station, list);
  }
  for (const station of children.keys()) {
    const names = new Set([tt.stopNames[station], ...Object.values(tt.stopNamesByLang[station] ?? {})]);
    for (const name of names) for (const key of keysOf(name)) keys.push({ key, station });
  }
  index = { keys, byId, children };
  indexes.set(tt, index);
  return index;
}

function matchOf(
  tt: Timetable,
  index: StopIndex,
  station: number,
  kind: StopMatch['kind'],
  score: number,
): StopMatch {
  return {
    stop: station,
    id: tt.stopIds[station],
    name: tt.stopNames[station],
    names: tt.stopNamesByLang[station] ?? {},
    stops: index.children.get(station) ?? [station],
    kind,
    score,
  };
}

/** Candidates for a stop query, best first; empty when nothing is close. */
export function findStops(tt: Timetable, query: string, limit = 10): StopMatch[] {
  const index = indexFor(tt);
  const id = index.byId.get(query.trim());
  if (id !== undefined) {
    const station = tt.stopLocationType[id] === 0 ? id : stationOf(tt, id);
    const match = matchOf(tt, index, id, 'id', 0);
    // A platform id means that platform only; a station id means all its platforms.
    return [
      { ...match, stops: tt.stopLocationType[id] === 0 ? [id] : (index.children.get(station) ?? [id]) },
    ];
  }
  const wanted = keysOf(query);
  if (wanted.length === 0) return [];
  const best = new Map<number, { kind: StopMatch['kind']; score: number }>();
  const offer = (station: number, kind: StopMatch['kind'], score: number) => {
    const old = best.get(station);
    if (!old || score < old.score) best.set(station, { kind, score });
  };
  for (const { key, station } of index.keys) {
    for (const q of wanted) {
      if (key === q) offer(station, 'exact', 1);
      else if (key.startsWith(q)) offer(station, 'prefix', 2 + (key.length - q.length) / 1000);
      else if (key.includes(q)) offer(station, 'substring', 3 + (key.length - q.length) / 1000);
      else {
        const limit = Math.max(1, Math.floor(q.length / 3));
        // Against the whole name and against its start, so "Mt Veiw" finds "Mt View Caltrain".
        const whole = editDistance(q, key, limit);
        const start = editDistance(q, key.slice(0, q.length), limit);
        if (whole <= limit) offer(station, 'fuzzy', 4 + whole);
        else if (start <= limit) offer(station, 'fuzzy', 4.5 + start);
      }
    }
  }
  return [...best]
    .sort((a, b) => a[1].score - b[1].score || a[0] - b[0])
    .slice(0, limit)
    .map(([station, m]) => matchOf(tt, index, station, m.kind, m.score));
}

/**
 * The one stop a query means: an id, or a name whose best match is unambiguous. Throws a 404 Problem that
 * lists the candidates otherwise.
 */
export function resolveStop(tt: Timetable, query: string, field = 'stop'): StopMatch {
  const matches = findStops(tt, query);
  if (matches.length === 0) throw problem('stop-not-found', `${field}: no stop matches "${query}"`, field);
  const top = matches.filter((m) => m.score === matches[0].score);
  if (top.length > 1) {
    const list = top.map((m) => `${m.name} (${m.id})`).join(', ');
    throw problem('stop-ambiguous', `${field}: "${query}" could be ${list}; give a stop id`, field);
  }
  return matches[0];
}

export function stopIndexById(tt: Timetable, id: string): number | undefined {
  return indexFor(tt).byId.get(id);
}
