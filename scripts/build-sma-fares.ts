/**
 * Writes the SMA pack's fare feeds, data/regions/sma/fares/: one GTFS-Fares v2 folder per
 * operator (agency_id = its party id) and `regional` (Metropolitan Tong's rules). The fare
 * scales, stations and proposals below are cited and explained in data/regions/sma/fares/README.md;
 * what is estimated says how. Run: node --import tsx scripts/build-sma-fares.ts
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readCsvRows } from '../src/lib/feed-files.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'data/regions/sma/fares');
const RAIL = path.join(ROOT, 'data/regions/sma/gtfs/today');

/** Metro lines wind and rail lines detour: track km are taken as 1.2 × the great-circle distance (an estimate). */
const DETOUR = 1.2;

interface Station {
  id: string;
  name: string;
  lat: number;
  lon: number;
  /** 'pack': the coordinates of the rail pack's station; 'approx': placed by hand from a map, ±1 km. */
  where: 'pack' | 'approx';
}

interface Metro {
  operator: string;
  network: string;
  name: string;
  stations: Station[];
  /** Adjacent stations of this set along a line (the line's own stops between them omitted). */
  edges: [string, string, string][];
  /** Fare scale: the first band's fare (yuan) and length, then [until km, km per extra yuan]. */
  scale?: { first: number; firstKm: number; steps: [number, number][]; max?: number };
  /** Stored-value card price as a share of the single ticket (the local card's; see README). */
  card: number;
}

const rail = (id: string, name: string, pack: string): Station => {
  const stop = railStops.get(pack);
  if (!stop) throw new Error(`no rail stop ${pack}`);
  return { id, name, lat: stop.lat, lon: stop.lon, where: 'pack' };
};
const approx = (id: string, name: string, lat: number, lon: number): Station => ({
  id,
  name,
  lat,
  lon,
  where: 'approx',
});

const railFiles = new Map(
  ['stops.txt', 'routes.txt', 'trips.txt', 'stop_times.txt', 'agency.txt'].map((f) => [
    f,
    readFileSync(path.join(RAIL, f)),
  ]),
);
const railRows = (file: string) => readCsvRows(railFiles, file) ?? [];
const railStops = new Map(
  railRows('stops.txt').map((r) => [
    r.get('stop_id'),
    { name: r.get('stop_name'), lat: Number(r.get('stop_lat')), lon: Number(r.get('stop_lon')) },
  ]),
);

const METROS: Metro[] = [
  {
    operator: 'shanghai-metro',
    network: 'shanghai-metro',
    name: '上海地铁',
    stations: [
      rail('shm-shanghai-rs', '上海火车站', 'shanghai'),
      rail('shm-hongqiao-rs', '虹桥火车站', 'shanghai_hongqiao'),
      rail('shm-shanghai-south-rs', '上海南站', 'shanghai_south'),
      rail('shm-shanghai-west-rs', '上海西站', 'shanghai_west'),
      rail('shm-songjiang-south-rs', '松江南站', 'shanghai_songjiang'),
      rail('shm-pudong-airport', '浦东1号2号航站楼', 'pudong_airport'),
      rail('shm-xinzhuang', '莘庄', 'xinzhuang'),
      rail('shm-qibao', '七宝', 'qibao'),
      rail('shm-zhangjiang', '张江高科', 'zhangjiang'),
      rail('shm-disney', '迪士尼', 'disney_resort'),
      rail('shm-huaqiao', '花桥', 'huaqiao'),
      approx('shm-renmin-square', '人民广场', 31.233, 121.475),
      approx('shm-xujiahui', '徐家汇', 31.193, 121.437),
      approx('shm-century-avenue', '世纪大道', 31.229, 121.515),
      approx('shm-longyang-road', '龙阳路', 31.203, 121.557),
      approx('shm-anting', '安亭', 31.29, 121.16),
    ],
    edges: [
      ['shm-shanghai-rs', 'shm-renmin-square', '1'],
      ['shm-renmin-square', 'shm-xujiahui', '1'],
      ['shm-xujiahui', 'shm-shanghai-south-rs', '1'],
      ['shm-shanghai-south-rs', 'shm-xinzhuang', '1'],
      ['shm-shanghai-rs', 'shm-shanghai-south-rs', '3'],
      ['shm-hongqiao-rs', 'shm-renmin-square', '2'],
      ['shm-renmin-square', 'shm-century-avenue', '2'],
      ['shm-century-avenue', 'shm-longyang-road', '2'],
      ['shm-longyang-road', 'shm-zhangjiang', '2'],
      ['shm-zhangjiang', 'shm-pudong-airport', '2'],
      ['shm-xujiahui', 'shm-century-avenue', '9'],
      ['shm-xujiahui', 'shm-qibao', '9'],
      ['shm-qibao', 'shm-songjiang-south-rs', '9'],
      ['shm-xujiahui', 'shm-disney', '11'],
      ['shm-xujiahui', 'shm-shanghai-west-rs', '11'],
      ['shm-shanghai-west-rs', 'shm-anting', '11'],
      ['shm-anting', 'shm-huaqiao', '11'],
    ],
    scale: { first: 3, firstKm: 6, steps: [[Number.POSITIVE_INFINITY, 10]] },
    card: 1,
  },
  {
    operator: 'suzhou-rail',
    network: 'suzhou-rail',
    name: '苏州轨道交通',
    stations: [
      rail('szm-suzhou-rs', '苏州火车站', 'suzhou'),
      rail('szm-suzhou-north-rs', '苏州北站', 'suzhou_north'),
      approx('szm-guangji-south', '广济南路', 31.305, 120.597),
      approx('szm-leqiao', '乐桥', 31.3065, 120.6235),
      approx('szm-dongfangzhimen', '东方之门', 31.318, 120.713),
    ],
    edges: [
      ['szm-suzhou-north-rs', 'szm-suzhou-rs', '2'],
      ['szm-suzhou-rs', 'szm-guangji-south', '2'],
      ['szm-guangji-south', 'szm-leqiao', '1'],
      ['szm-leqiao', 'szm-dongfangzhimen', '1'],
      ['szm-suzhou-rs', 'szm-leqiao', '4'],
    ],
    scale: {
      first: 2,
      firstKm: 6,
      steps: [
        [16, 5],
        [30, 7],
        [Number.POSITIVE_INFINITY, 9],
      ],
    },
    card: 0.95,
  },
  {
    operator: 'wuxi-metro',
    network: 'wuxi-metro',
    name: '无锡地铁',
    stations: [
      rail('wxm-wuxi-rs', '无锡火车站', 'wuxi'),
      rail('wxm-wuxi-east-rs', '无锡东站', 'wuxi_east'),
      approx('wxm-sanyang-square', '三阳广场', 31.578, 120.301),
    ],
    edges: [
      ['wxm-wuxi-rs', 'wxm-sanyang-square', '1'],
      ['wxm-sanyang-square', 'wxm-wuxi-east-rs', '2'],
    ],
    scale: {
      first: 2,
      firstKm: 5,
      steps: [
        [15, 5],
        [29, 7],
        [Number.POSITIVE_INFINITY, 9],
      ],
    },
    card: 0.95,
  },
  {
    operator: 'changzhou-metro',
    network: 'changzhou-metro',
    name: '常州地铁',
    stations: [
      rail('czm-changzhou-rs', '常州火车站', 'changzhou'),
      rail('czm-changzhou-north-rs', '常州北站', 'changzhou_north'),
      approx('czm-wenhuagong', '文化宫', 31.773, 119.956),
    ],
    edges: [
      ['czm-changzhou-north-rs', 'czm-changzhou-rs', '1'],
      ['czm-changzhou-rs', 'czm-wenhuagong', '1'],
    ],
    card: 1,
  },
  {
    operator: 'nantong-rail',
    network: 'nantong-rail',
    name: '南通轨道交通',
    stations: [
      rail('ntm-nantong-west-rs', '南通西站', 'nantong_west'),
      rail('ntm-nantong-rs', '南通火车站', 'nantong'),
      approx('ntm-hepingqiao', '和平桥', 32.008, 120.862),
    ],
    edges: [
      ['ntm-nantong-west-rs', 'ntm-hepingqiao', '1'],
      ['ntm-nantong-rs', 'ntm-hepingqiao', '2'],
    ],
    scale: {
      first: 2,
      firstKm: 6,
      steps: [
        [16, 5],
        [30, 7],
        [45, 15],
      ],
      max: 7,
    },
    card: 0.95,
  },
  {
    operator: 'ningbo-rail',
    network: 'ningbo-rail',
    name: '宁波轨道交通',
    stations: [rail('nbm-ningbo-rs', '宁波火车站', 'ningbo'), approx('nbm-gulou', '鼓楼', 29.875, 121.55)],
    edges: [['nbm-ningbo-rs', 'nbm-gulou', '2']],
    scale: {
      first: 2,
      firstKm: 4,
      steps: [
        [8, 4],
        [13, 5],
        [20, 7],
        [Number.POSITIVE_INFINITY, 9],
      ],
    },
    card: 1,
  },
];

interface Bus {
  operator: string;
  name: string;
  stops: Station[];
  /** Flat fare in yuan and the local card's price, where a source gives them. */
  fare?: { cash: number; card: number; freeTransferSeconds?: number };
}

const BUSES: Bus[] = [
  {
    operator: 'jiaxing-bus',
    name: '嘉兴公交',
    stops: [
      rail('jxb-jiaxing-rs', '嘉兴火车站', 'jiaxing'),
      rail('jxb-jiaxing-south-rs', '嘉兴南站', 'jiaxing_south'),
    ],
    fare: { cash: 2, card: 1, freeTransferSeconds: 5 * 3600 },
  },
  {
    operator: 'huzhou-bus',
    name: '湖州公交',
    stops: [
      rail('hzb-huzhou-rs', '湖州火车站', 'huzhou'),
      rail('hzb-huzhou-east-rs', '湖州东站', 'huzhou_east'),
    ],
  },
  { operator: 'zhoushan-bus', name: '舟山公交', stops: [approx('zsb-dinghai', '定海', 30.017, 122.107)] },
];

// ---- helpers ----

const csv = (header: string[], rows: (string | number)[][]) =>
  `${[header, ...rows].map((r) => r.map((v) => (/[",]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : v)).join(',')).join('\n')}\n`;

function write(folder: string, files: Record<string, string>) {
  const dir = path.join(OUT, folder);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}

function km(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = 6371.0088;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** Longest shortest path of a graph, in km: how far the fare bands must reach. */
function diameter(edges: [string, string, number][]): number {
  const nodes = [...new Set([...edges.map((e) => e[0]), ...edges.map((e) => e[1])])];
  const d = new Map(
    nodes.map((n) => [n, new Map(nodes.map((m) => [m, n === m ? 0 : Number.POSITIVE_INFINITY]))]),
  );
  for (const [a, b, w] of edges) {
    d.get(a)!.set(b, Math.min(w, d.get(a)!.get(b)!));
    d.get(b)!.set(a, Math.min(w, d.get(b)!.get(a)!));
  }
  for (const k of nodes)
    for (const i of nodes)
      for (const j of nodes) {
        const via = d.get(i)!.get(k)! + d.get(k)!.get(j)!;
        if (via < d.get(i)!.get(j)!) d.get(i)!.set(j, via);
      }
  return Math.max(...nodes.flatMap((i) => nodes.map((j) => d.get(i)!.get(j)!)).filter(Number.isFinite));
}

/** Fare bands (min km, max km], yuan) of a scale, far enough to cover `reach` km. */
function bands(scale: NonNullable<Metro['scale']>, reach: number): [number, number, number][] {
  const out: [number, number, number][] = [[0, scale.firstKm, scale.first]];
  let upper = scale.firstKm;
  let fare = scale.first;
  for (const [until, per] of scale.steps) {
    while (upper < until && upper < reach) {
      fare++;
      const next = Math.min(upper + per, until);
      out.push([upper, next, scale.max ? Math.min(fare, scale.max) : fare]);
      upper = next;
    }
  }
  return out;
}

/** Product rows of one fare: the single ticket for anyone, and the regional card's per category. */
function productRows(
  id: string,
  name: string,
  fen: number,
  card: number,
  concession: Record<string, number>,
) {
  return [
    [id, name, '', '', yuan(fen), 'CNY'],
    [id, name, 'adult', 'tong', yuan(Math.round(fen * card)), 'CNY'],
    ...Object.entries(concession).map(([category, share]) => [
      id,
      name,
      category,
      'tong',
      yuan(Math.round(fen * share)),
      'CNY',
    ]),
  ];
}
const PRODUCT_HEADER = [
  'fare_product_id',
  'fare_product_name',
  'rider_category_id',
  'fare_media_id',
  'amount',
  'currency',
];
/** Operators' web sites, where the sources name one; agency_url is left empty otherwise. */
const SITES: Record<string, string> = {
  'shanghai-metro': 'http://www.shmetro.com',
  'suzhou-rail': 'http://www.sz-mtr.com',
  'cr-shanghai': 'https://www.12306.cn',
};
const agency = (id: string, name: string) =>
  csv(
    ['agency_id', 'agency_name', 'agency_url', 'agency_timezone', 'agency_lang'],
    [[id, name, SITES[id] ?? '', 'Asia/Shanghai', 'zh']],
  );
const stopsCsv = (stations: Station[]) =>
  csv(
    ['stop_id', 'stop_name', 'stop_lat', 'stop_lon', 'location_type'],
    stations.map((s) => [s.id, s.name, s.lat.toFixed(4), s.lon.toFixed(4), 1]),
  );

// ---- write ----

// The folders are rewritten; the README (written by hand) stays.
for (const entry of readdirSync(OUT, { withFileTypes: true })) {
  if (entry.isDirectory()) rmSync(path.join(OUT, entry.name), { recursive: true });
}
const URBAN_CONCESSIONS = { student: 0.5, senior: 0.5 };
const groups: string[] = [];

for (const m of METROS) {
  const byId = new Map(m.stations.map((s) => [s.id, s]));
  const weighted = m.edges.map(
    ([a, b]) =>
      [a, b, Math.round(km(byId.get(a)!, byId.get(b)!) * DETOUR * 10) / 10] as [string, string, number],
  );
  const files: Record<string, string> = {
    'agency.txt': agency(m.operator, m.name),
    'stops.txt': stopsCsv(m.stations),
    'networks.txt': csv(['network_id', 'network_name'], [[m.network, m.name]]),
    'tongcheng_station_edges.txt': csv(
      ['from_stop_id', 'to_stop_id', 'distance_km', 'network_id', 'line'],
      weighted.map(([a, b, d], i) => [a, b, d, m.network, m.edges[i][2]]),
    ),
  };
  if (m.scale) {
    const rows = bands(m.scale, diameter(weighted));
    files['fare_products.txt'] = csv(
      PRODUCT_HEADER,
      rows.flatMap(([, max, fare]) =>
        productRows(`${m.network}-${max}km`, `${m.name} ≤${max} km`, fare * 100, m.card, URBAN_CONCESSIONS),
      ),
    );
    files['tongcheng_distance_leg_rules.txt'] = csv(
      ['leg_group_id', 'network_id', 'min_distance_km', 'max_distance_km', 'fare_product_id'],
      rows.map(([min, max]) => [m.operator, m.network, min, max, `${m.network}-${max}km`]),
    );
    groups.push(m.operator);
  }
  write(m.operator, files);
}

for (const b of BUSES) {
  const files: Record<string, string> = {
    'agency.txt': agency(b.operator, b.name),
    'stops.txt': stopsCsv(b.stops),
    'networks.txt': csv(['network_id', 'network_name'], [[b.operator, b.name]]),
  };
  if (b.fare) {
    const rows = productRows(
      `${b.operator}-flat`,
      `${b.name} 一票制`,
      b.fare.cash * 100,
      b.fare.card / b.fare.cash,
      URBAN_CONCESSIONS,
    );
    if (b.fare.freeTransferSeconds)
      rows.push([`${b.operator}-transfer`, `${b.name} 换乘`, '', 'tong', '0.00', 'CNY']);
    files['fare_products.txt'] = csv(PRODUCT_HEADER, rows);
    files['fare_leg_rules.txt'] = csv(
      ['leg_group_id', 'network_id', 'fare_product_id'],
      [[b.operator, b.operator, `${b.operator}-flat`]],
    );
    if (b.fare.freeTransferSeconds) {
      files['fare_transfer_rules.txt'] = csv(
        [
          'from_leg_group_id',
          'to_leg_group_id',
          'transfer_count',
          'duration_limit',
          'duration_limit_type',
          'fare_transfer_type',
          'fare_product_id',
        ],
        [[b.operator, b.operator, -1, b.fare.freeTransferSeconds, 1, 0, `${b.operator}-transfer`]],
      );
    }
    groups.push(b.operator);
  }
  write(b.operator, files);
}

// Intercity rail: the rail pack's stations and routes; high-speed routes priced by distance.
{
  const NETWORK_OF_TYPE: Record<string, string> = {
    '101': 'cr-hsr',
    '102': 'cr-conventional',
    '109': 'cr-suburban',
  };
  const routes = railRows('routes.txt');
  const routeNetwork = new Map(
    routes.map((r) => [r.get('route_id'), NETWORK_OF_TYPE[r.get('route_type')] ?? 'cr-other']),
  );
  const tripRoute = new Map(railRows('trips.txt').map((r) => [r.get('trip_id'), r.get('route_id')]));
  const pairs = new Map<string, [string, string, string]>();
  let prev: { trip: string; stop: string } | undefined;
  for (const r of railRows('stop_times.txt')) {
    const trip = r.get('trip_id');
    const stop = r.get('stop_id');
    if (prev && prev.trip === trip) {
      const network = routeNetwork.get(tripRoute.get(trip)!)!;
      const [a, b] = [prev.stop, stop].sort();
      pairs.set(`${network}|${a}|${b}`, [a, b, network]);
    }
    prev = { trip, stop };
  }
  const edges = [...pairs.values()].map(
    ([a, b, n]) =>
      [a, b, Math.round(km(railStops.get(a)!, railStops.get(b)!) * DETOUR * 10) / 10, n] as const,
  );
  const hsr = edges
    .filter((e) => e[3] === 'cr-hsr')
    .map(([a, b, d]) => [a, b, d] as [string, string, number]);
  // Second class on 300 km/h lines: about ¥0.46 per passenger-km (README); 5 km bands, fares to the ¥0.5.
  const reach = diameter(hsr);
  const bandRows: [number, number, number][] = [];
  for (let max = 5; max - 5 < reach; max += 5) bandRows.push([max - 5, max, Math.round(max * 0.46 * 2) * 50]);
  write('cr-shanghai', {
    'agency.txt': agency('cr-shanghai', '中国铁路上海局集团有限公司'),
    'stops.txt': csv(
      ['stop_id', 'stop_name', 'stop_lat', 'stop_lon'],
      [...railStops].map(([id, s]) => [id, s.name, s.lat.toFixed(4), s.lon.toFixed(4)]),
    ),
    'networks.txt': csv(
      ['network_id', 'network_name'],
      [
        ['cr-hsr', '高速铁路（动车组）'],
        ['cr-conventional', '普速铁路'],
        ['cr-suburban', '市域铁路'],
      ],
    ),
    'route_networks.txt': csv(
      ['network_id', 'route_id'],
      routes.map((r) => [routeNetwork.get(r.get('route_id'))!, r.get('route_id')]),
    ),
    'routes.txt': csv(
      ['route_id', 'agency_id', 'route_short_name', 'route_type'],
      routes.map((r) => [r.get('route_id'), 'cr-shanghai', r.get('route_short_name'), r.get('route_type')]),
    ),
    'tongcheng_station_edges.txt': csv(
      ['from_stop_id', 'to_stop_id', 'distance_km', 'network_id'],
      edges.map((e) => [...e]),
    ),
    'fare_products.txt': csv(
      PRODUCT_HEADER,
      bandRows.flatMap(([, max, fen]) => [
        [`cr-hsr-${max}km`, `高铁二等座 ≤${max} km（估算）`, '', '', yuan(fen), 'CNY'],
        [
          `cr-hsr-${max}km`,
          `高铁二等座 ≤${max} km（估算）`,
          'student',
          'tong',
          yuan(Math.round(fen * 0.75)),
          'CNY',
        ],
      ]),
    ),
    'tongcheng_distance_leg_rules.txt': csv(
      ['leg_group_id', 'network_id', 'min_distance_km', 'max_distance_km', 'fare_product_id'],
      bandRows.map(([min, max]) => ['cr-shanghai', 'cr-hsr', min, max, `cr-hsr-${max}km`]),
    ),
    // A card's gate taps do not say which train: such a leg is priced as a high-speed journey.
    'tongcheng_tap_networks.txt': csv(['agency_id', 'network_id'], [['cr-shanghai', 'cr-hsr']]),
  });
  groups.push('cr-shanghai');
}

// Metropolitan Tong: medium, categories, transfer discounts between operators, caps (Tongcheng's proposal).
write('regional', {
  'fare_media.txt': csv(
    ['fare_media_id', 'fare_media_name', 'fare_media_type'],
    [['tong', '都市圈同城卡 Metropolitan Tong', 2]],
  ),
  'rider_categories.txt': csv(
    ['rider_category_id', 'rider_category_name', 'is_default_fare_category', 'eligibility_url'],
    [
      ['adult', '成人 Adult', 1, ''],
      ['student', '学生 Student', 0, ''],
      ['senior', '老年人 Senior', 0, ''],
    ],
  ),
  'fare_products.txt': csv(PRODUCT_HEADER, [
    ['tong-transfer', '同城卡跨运营商换乘优惠', '', 'tong', '-1.00', 'CNY'],
    ['tong-transfer', '同城卡跨运营商换乘优惠', 'student', 'tong', '-0.50', 'CNY'],
    ['tong-transfer', '同城卡跨运营商换乘优惠', 'senior', 'tong', '-0.50', 'CNY'],
  ]),
  'fare_transfer_rules.txt': csv(
    [
      'from_leg_group_id',
      'to_leg_group_id',
      'duration_limit',
      'duration_limit_type',
      'fare_transfer_type',
      'fare_product_id',
    ],
    groups.flatMap((a) => groups.filter((b) => b !== a).map((b) => [a, b, 5400, 1, 1, 'tong-transfer'])),
  ),
  'tongcheng_fare_caps.txt': csv(
    ['cap_id', 'cap_period', 'amount', 'currency', 'rider_category_id', 'fare_media_id', 'agency_id'],
    [
      ['tong-day-adult', 'day', '80.00', 'CNY', 'adult', 'tong', ''],
      ['tong-day-student', 'day', '40.00', 'CNY', 'student', 'tong', ''],
      ['tong-day-senior', 'day', '40.00', 'CNY', 'senior', 'tong', ''],
      ['tong-week-adult', 'week', '320.00', 'CNY', 'adult', 'tong', ''],
      ['tong-week-student', 'week', '160.00', 'CNY', 'student', 'tong', ''],
      ['tong-week-senior', 'week', '160.00', 'CNY', 'senior', 'tong', ''],
    ],
  ),
  'tongcheng_fare_settings.txt': csv(['service_day_start', 'timezone'], [['04:30:00', 'Asia/Shanghai']]),
});
console.log(
  `wrote ${OUT}: ${METROS.length} metros, ${BUSES.length} bus operators, rail, regional (${groups.length} priced groups)`,
);
