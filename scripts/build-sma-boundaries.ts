/**
 * Generates data/regions/sma/boundaries.geojson for the Shanghai Metropolitan Area region pack
 * and verifies it.
 *
 * The partition is described once: named junction points, shared border polylines between junctions
 * (each drawn a single time), and every city / district ring assembled from border ids, reversed where
 * needed. Neighbours therefore share exactly identical vertices and never overlap.
 *
 * Hand-simplified from public maps; accurate to a few km; not for legal use.
 *
 * Run: npx tsx scripts/build-sma-boundaries.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

type LonLat = [number, number];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packDir = join(root, 'data', 'regions', 'sma');

// ---------------------------------------------------------------------------------------------------------------
// Junction points: where three areas meet, or where a land border reaches a shore.
// ---------------------------------------------------------------------------------------------------------------
const J = {
  /** Shanghai (Baoshan) / Suzhou (Taicang) on the Yangtze bank, Liuhe mouth. */
  shSzRiver: [121.3, 31.52],
  /** Qingpu / Jiading / Kunshan. */
  qpNorth: [121.11, 31.27],
  /** Kunshan / Qingpu / Wujiang, by Yuandang lake. */
  ksQpWj: [120.89, 31.11],
  /** Shanghai / Suzhou / Jiaxing tri-point = Qingpu / Wujiang / Jiashan, south of Jinze. */
  tri: [120.87, 30.99],
  /** Qingpu / Songjiang / Jiashan. */
  qpSouth: [120.99, 30.95],
  /** Jiashan / Pinghu / Jinshan. */
  jsSouthEast: [121.06, 30.82],
  /** Shanghai (Jinshan) / Jiaxing (Pinghu) on the Hangzhou Bay shore. */
  shJxCoast: [121.23, 30.695],
  /** Jiashan / Wujiang / Xiuzhou. */
  jsNorthWest: [120.82, 30.95],
  /** Suzhou (Wujiang) / Jiaxing (Tongxiang) / Huzhou (Nanxun), by Wuzhen. */
  szJxHz: [120.48, 30.79],
  /** Suzhou / Huzhou border reaching the Taihu shore. */
  szHzShore: [120.35, 30.94],
  /** Wujiang's northern border reaching Taihu. */
  wjLake: [120.52, 31.14],
  /** Wuxi (Yixing) / Huzhou (Changxing) on the Taihu shore, where Suzhou's part of the lake ends. */
  wxSzHzLake: [119.955, 31.14],
  /** Suzhou / Wuxi border reaching Taihu at the east end of Gonghu bay. */
  szWxGonghu: [120.43, 31.42],
  /** Suzhou (Zhangjiagang) / Wuxi (Jiangyin) on the Yangtze bank. */
  szWxRiver: [120.43, 31.95],
  /** Wuxi (Jiangyin) / Changzhou (Xinbei) on the Yangtze bank. */
  wxCzRiver: [120.12, 31.99],
  /** Changzhou (Liyang) / Wuxi (Yixing) / Anhui. */
  czWxAnhui: [119.62, 31.17],
  /** Wuxi (Yixing) / Huzhou (Changxing) / Anhui (Guangde). */
  wxHzAnhui: [119.7, 31.09],
  /** Jiaxing (Tongxiang) / Huzhou (Deqing) / Hangzhou. */
  jxHzHangzhou: [120.31, 30.55],
  /** Jiaxing (Haining) / Hangzhou on the Qiantang shore. */
  jxHangzhouShore: [120.36, 30.34],
  /** Huzhou (Anji) / Hangzhou (Lin'an) / Anhui. */
  hzHangzhouAnhui: [119.38, 30.4],
} satisfies Record<string, LonLat>;

type JunctionId = keyof typeof J;

interface Border {
  from: JunctionId;
  to: JunctionId;
  via: LonLat[];
}

// ---------------------------------------------------------------------------------------------------------------
// Shared borders (and outer edges), each drawn once from `from` to `to`.
// ---------------------------------------------------------------------------------------------------------------
const B = {
  // Shanghai / Suzhou
  shSzA: {
    from: 'shSzRiver',
    to: 'qpNorth',
    via: [
      [121.25, 31.49],
      [121.17, 31.46],
      [121.13, 31.38],
      [121.12, 31.31],
    ],
  },
  shSzB: {
    from: 'qpNorth',
    to: 'ksQpWj',
    via: [
      [121.1, 31.22],
      [121.04, 31.19],
      [121.0, 31.17],
      [120.96, 31.14],
      [120.93, 31.12],
    ],
  },
  shSzC: {
    from: 'ksQpWj',
    to: 'tri',
    via: [
      [120.87, 31.07],
      [120.86, 31.03],
    ],
  },
  // Shanghai / Jiaxing
  shJxA: { from: 'tri', to: 'qpSouth', via: [[120.94, 30.985]] },
  shJxB: {
    from: 'qpSouth',
    to: 'jsSouthEast',
    via: [
      [120.99, 30.9],
      [121.01, 30.86],
    ],
  },
  shJxC: {
    from: 'jsSouthEast',
    to: 'shJxCoast',
    via: [
      [121.12, 30.79],
      [121.19, 30.74],
    ],
  },
  // Shanghai mainland coast: Hangzhou Bay, East China Sea, Yangtze estuary
  shCoast: {
    from: 'shJxCoast',
    to: 'shSzRiver',
    via: [
      [121.33, 30.71],
      [121.42, 30.75],
      [121.55, 30.815],
      [121.7, 30.85],
      [121.85, 30.85],
      [121.97, 30.87],
      [121.95, 30.96],
      [121.89, 31.07],
      [121.85, 31.17],
      [121.76, 31.28],
      [121.68, 31.33],
      [121.61, 31.36],
      [121.51, 31.4],
      [121.43, 31.44],
      [121.36, 31.48],
    ],
  },
  // Qingpu's border with the rest of Shanghai (Jiading, Minhang, Songjiang)
  qpInner: {
    from: 'qpNorth',
    to: 'qpSouth',
    via: [
      [121.19, 31.28],
      [121.24, 31.25],
      [121.28, 31.21],
      [121.275, 31.17],
      [121.22, 31.13],
      [121.15, 31.08],
      [121.1, 31.03],
      [121.05, 30.98],
    ],
  },
  // Suzhou / Jiaxing
  szJxA: { from: 'tri', to: 'jsNorthWest', via: [[120.85, 30.975]] },
  szJxB: {
    from: 'jsNorthWest',
    to: 'szJxHz',
    via: [
      [120.78, 30.93],
      [120.72, 30.885],
      [120.64, 30.87],
      [120.56, 30.82],
    ],
  },
  // Suzhou / Huzhou: land, then along the southern Taihu shore (the lake is Suzhou's)
  szHzLand: {
    from: 'szJxHz',
    to: 'szHzShore',
    via: [
      [120.485, 30.86],
      [120.45, 30.92],
    ],
  },
  szHzLake: {
    from: 'szHzShore',
    to: 'wxSzHzLake',
    via: [
      [120.27, 30.93],
      [120.17, 30.94],
      [120.1, 30.96],
      [120.03, 31.01],
      [119.97, 31.07],
    ],
  },
  // Suzhou / Wuxi: across Taihu, then on land to the Yangtze
  szWxLake: {
    from: 'wxSzHzLake',
    to: 'szWxGonghu',
    via: [
      [120.06, 31.25],
      [120.18, 31.32],
      [120.32, 31.38],
    ],
  },
  szWxLand: {
    from: 'szWxGonghu',
    to: 'szWxRiver',
    via: [
      [120.45, 31.47],
      [120.5, 31.53],
      [120.49, 31.62],
      [120.52, 31.7],
      [120.51, 31.77],
      [120.46, 31.84],
      [120.45, 31.9],
    ],
  },
  // Suzhou's Yangtze bank (Zhangjiagang, Changshu, Taicang)
  szRiver: {
    from: 'szWxRiver',
    to: 'shSzRiver',
    via: [
      [120.52, 32.0],
      [120.62, 32.02],
      [120.72, 31.97],
      [120.82, 31.88],
      [120.93, 31.8],
      [121.05, 31.72],
      [121.16, 31.63],
      [121.24, 31.57],
    ],
  },
  // Wujiang's border with the rest of Suzhou (Kunshan, Industrial Park, Wuzhong) and its edge in Taihu
  wjNorth: {
    from: 'ksQpWj',
    to: 'wjLake',
    via: [
      [120.8, 31.15],
      [120.73, 31.2],
      [120.65, 31.21],
      [120.57, 31.18],
    ],
  },
  wjLake: { from: 'wjLake', to: 'szHzShore', via: [[120.42, 31.03]] },
  // Wuxi's Yangtze bank (Jiangyin)
  wxRiver: {
    from: 'wxCzRiver',
    to: 'szWxRiver',
    via: [
      [120.2, 31.97],
      [120.28, 31.945],
      [120.36, 31.95],
    ],
  },
  // Wuxi / Changzhou, across the head of Zhushan bay, then Yixing / Wujin and Yixing / Liyang
  wxCz: {
    from: 'wxCzRiver',
    to: 'czWxAnhui',
    via: [
      [120.14, 31.9],
      [120.11, 31.8],
      [120.12, 31.72],
      [120.1, 31.64],
      [120.06, 31.55],
      [120.03, 31.49],
      [119.98, 31.51],
      [119.9, 31.56],
      [119.8, 31.6],
      [119.72, 31.55],
      [119.66, 31.45],
      [119.62, 31.33],
      [119.62, 31.24],
    ],
  },
  wxAnhui: { from: 'czWxAnhui', to: 'wxHzAnhui', via: [[119.66, 31.12]] },
  wxHz: {
    from: 'wxHzAnhui',
    to: 'wxSzHzLake',
    via: [
      [119.8, 31.1],
      [119.88, 31.12],
    ],
  },
  // Changzhou's outer edge: Anhui, Nanjing, Zhenjiang, the Yangtze
  czOuter: {
    from: 'czWxAnhui',
    to: 'wxCzRiver',
    via: [
      [119.52, 31.1],
      [119.4, 31.12],
      [119.28, 31.2],
      [119.22, 31.3],
      [119.17, 31.4],
      [119.22, 31.52],
      [119.3, 31.6],
      [119.35, 31.7],
      [119.4, 31.8],
      [119.48, 31.88],
      [119.58, 31.9],
      [119.7, 31.83],
      [119.78, 31.85],
      [119.8, 31.95],
      [119.85, 32.04],
      [119.95, 32.03],
      [120.05, 32.0],
    ],
  },
  // Huzhou / Jiaxing
  hzJx: {
    from: 'szJxHz',
    to: 'jxHzHangzhou',
    via: [
      [120.45, 30.74],
      [120.37, 30.7],
      [120.34, 30.63],
    ],
  },
  // Jiaxing (Haining) / Hangzhou
  jxHangzhou: {
    from: 'jxHzHangzhou',
    to: 'jxHangzhouShore',
    via: [
      [120.29, 30.48],
      [120.3, 30.41],
    ],
  },
  // Jiaxing coast: Qiantang estuary and Hangzhou Bay (Haining, Haiyan, Pinghu)
  jxCoast: {
    from: 'jxHangzhouShore',
    to: 'shJxCoast',
    via: [
      [120.48, 30.38],
      [120.58, 30.4],
      [120.7, 30.42],
      [120.8, 30.4],
      [120.92, 30.41],
      [120.96, 30.47],
      [120.98, 30.53],
      [121.03, 30.58],
      [121.1, 30.62],
      [121.17, 30.67],
    ],
  },
  // Jiashan's border with the rest of Jiaxing (Pinghu, Nanhu, Xiuzhou)
  jsInner: {
    from: 'jsSouthEast',
    to: 'jsNorthWest',
    via: [
      [120.99, 30.765],
      [120.88, 30.755],
      [120.81, 30.79],
      [120.78, 30.87],
    ],
  },
  // Huzhou / Hangzhou (Deqing, Anji / Yuhang, Lin'an)
  hzHangzhou: {
    from: 'jxHzHangzhou',
    to: 'hzHangzhouAnhui',
    via: [
      [120.22, 30.5],
      [120.1, 30.47],
      [119.98, 30.45],
      [119.88, 30.47],
      [119.75, 30.42],
      [119.62, 30.38],
      [119.45, 30.37],
    ],
  },
  // Huzhou / Anhui (Anji, Changxing / Ningguo, Guangde)
  hzAnhui: {
    from: 'hzHangzhouAnhui',
    to: 'wxHzAnhui',
    via: [
      [119.28, 30.52],
      [119.25, 30.64],
      [119.32, 30.78],
      [119.42, 30.87],
      [119.53, 30.98],
      [119.6, 31.06],
    ],
  },
  // Hangzhou's outer edge (linked place; rough): Anhui, Quzhou, Jinhua, Shaoxing, Qiantang estuary
  hangzhouOuter: {
    from: 'hzHangzhouAnhui',
    to: 'jxHangzhouShore',
    via: [
      [119.05, 30.3],
      [118.85, 30.2],
      [118.6, 29.95],
      [118.35, 29.75],
      [118.35, 29.55],
      [118.55, 29.3],
      [118.85, 29.2],
      [119.2, 29.25],
      [119.45, 29.35],
      [119.7, 29.55],
      [119.95, 29.75],
      [120.15, 29.9],
      [120.35, 29.98],
      [120.55, 30.12],
      [120.72, 30.3],
      [120.5, 30.33],
    ],
  },
} satisfies Record<string, Border>;

type BorderId = keyof typeof B;
/** A border id, or `-id` to walk it backwards. */
type Step = BorderId | `-${BorderId}`;

// ---------------------------------------------------------------------------------------------------------------
// Stand-alone rings: coasts and islands that touch no other member.
// ---------------------------------------------------------------------------------------------------------------
const chongming: LonLat[] = [
  [121.21, 31.8],
  [121.28, 31.72],
  [121.4, 31.62],
  [121.55, 31.56],
  [121.7, 31.5],
  [121.85, 31.47],
  [121.97, 31.51],
  [121.93, 31.58],
  [121.8, 31.66],
  [121.62, 31.73],
  [121.48, 31.78],
  [121.4, 31.81],
  [121.28, 31.83],
];
const changxing: LonLat[] = [
  [121.56, 31.45],
  [121.64, 31.41],
  [121.76, 31.37],
  [121.84, 31.36],
  [121.8, 31.4],
  [121.66, 31.45],
  [121.58, 31.47],
];
const nantong: LonLat[] = [
  // Yangtze bank, west to east, then the north branch facing Chongming
  [120.38, 32.08],
  [120.55, 32.07],
  [120.7, 32.03],
  [120.8, 31.985],
  [120.86, 31.95],
  [120.96, 31.92],
  [121.06, 31.87],
  [121.13, 31.845],
  [121.25, 31.855],
  [121.4, 31.84],
  [121.55, 31.8],
  [121.7, 31.76],
  [121.85, 31.71],
  [121.97, 31.7],
  // Yellow Sea coast (Qidong, Rudong)
  [121.9, 31.85],
  [121.75, 31.97],
  [121.62, 32.08],
  [121.45, 32.22],
  [121.3, 32.38],
  [121.12, 32.53],
  [120.98, 32.62],
  // Yancheng (Dongtai), then Taizhou (Jiangyan, Taixing, Jingjiang)
  [120.85, 32.65],
  [120.68, 32.66],
  [120.55, 32.72],
  [120.4, 32.68],
  [120.34, 32.58],
  [120.3, 32.45],
  [120.32, 32.33],
  [120.3, 32.2],
  [120.35, 32.12],
];
const ningbo: LonLat[] = [
  // Hangzhou Bay shore (Cixi), west to east
  [120.97, 30.19],
  [121.06, 30.26],
  [121.2, 30.33],
  [121.35, 30.34],
  [121.5, 30.25],
  [121.58, 30.12],
  [121.68, 30.0],
  // Zhenhai, Beilun
  [121.8, 29.96],
  [121.92, 29.93],
  [122.02, 29.88],
  [121.97, 29.8],
  // Xiangshan Bay: north shore in, south shore out
  [121.85, 29.72],
  [121.68, 29.62],
  [121.55, 29.55],
  [121.47, 29.5],
  [121.58, 29.52],
  [121.72, 29.58],
  [121.82, 29.62],
  [121.95, 29.6],
  // Xiangshan's east coast, Shipu, Sanmen Bay
  [122.0, 29.48],
  [121.98, 29.3],
  [121.93, 29.18],
  [121.8, 29.12],
  [121.65, 29.08],
  [121.5, 29.03],
  // Taizhou (Sanmen, Tiantai), Shaoxing (Xinchang, Shengzhou, Shangyu)
  [121.4, 29.05],
  [121.3, 29.1],
  [121.2, 29.2],
  [121.15, 29.35],
  [121.05, 29.5],
  [121.0, 29.65],
  [120.92, 29.82],
  [120.9, 29.97],
  [120.93, 30.1],
];
const zhoushanIslands: Record<string, LonLat[]> = {
  zhoushan: [
    [121.96, 30.06],
    [122.02, 30.01],
    [122.08, 29.99],
    [122.14, 29.985],
    [122.2, 29.965],
    [122.26, 29.935],
    [122.33, 29.93],
    [122.36, 29.96],
    [122.33, 30.0],
    [122.27, 30.05],
    [122.2, 30.11],
    [122.12, 30.18],
    [122.05, 30.15],
    [121.99, 30.11],
  ],
  jintang: [
    [121.84, 30.0],
    [121.9, 29.99],
    [121.94, 30.04],
    [121.9, 30.1],
    [121.84, 30.06],
  ],
  daishan: [
    [122.1, 30.25],
    [122.16, 30.21],
    [122.25, 30.215],
    [122.28, 30.265],
    [122.21, 30.305],
    [122.13, 30.295],
  ],
  qushan: [
    [122.3, 30.43],
    [122.36, 30.4],
    [122.42, 30.43],
    [122.38, 30.48],
    [122.32, 30.47],
  ],
  sijiao: [
    [122.4, 30.7],
    [122.47, 30.69],
    [122.5, 30.72],
    [122.44, 30.75],
  ],
  liuheng: [
    [122.09, 29.73],
    [122.16, 29.68],
    [122.23, 29.71],
    [122.2, 29.78],
    [122.12, 29.79],
  ],
  taohua: [
    [122.23, 29.81],
    [122.28, 29.77],
    [122.32, 29.8],
    [122.28, 29.85],
  ],
  zhujiajian: [
    [122.37, 29.85],
    [122.46, 29.86],
    [122.45, 29.935],
    [122.38, 29.925],
  ],
  putuoshan: [
    [122.37, 29.98],
    [122.4, 29.97],
    [122.41, 30.01],
    [122.38, 30.03],
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------------------------
const round = (v: number): number => Math.round(v * 1e4) / 1e4;
const same = (a: Position, b: Position): boolean => a[0] === b[0] && a[1] === b[1];

function borderPoints(step: Step): LonLat[] {
  const reversed = step.startsWith('-');
  const id = (reversed ? step.slice(1) : step) as BorderId;
  const border: Border = B[id];
  if (!border) throw new Error(`unknown border ${id}`);
  const pts: LonLat[] = [J[border.from], ...border.via, J[border.to]];
  return reversed ? pts.reverse() : pts;
}

/** Signed area in degrees² (positive = counter-clockwise). */
function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return s / 2;
}

/** Closes a ring, rounds it and winds it counter-clockwise (RFC 7946 exterior ring). */
function finishRing(points: LonLat[]): Position[] {
  const ring: Position[] = points.map(([x, y]) => [round(x), round(y)]);
  if (!same(ring[0], ring[ring.length - 1])) ring.push([...ring[0]]);
  if (signedArea(ring) < 0) ring.reverse();
  return ring;
}

function assemble(name: string, steps: Step[]): Position[] {
  const out: LonLat[] = [];
  for (const step of steps) {
    const pts = borderPoints(step);
    if (out.length > 0) {
      if (!same(out[out.length - 1], pts[0])) {
        throw new Error(`${name}: ${step} does not start where the previous border ended`);
      }
      pts.shift();
    }
    out.push(...pts);
  }
  if (!same(out[0], out[out.length - 1])) throw new Error(`${name}: ring is not closed`);
  return finishRing(out);
}

type Kind = 'city' | 'district' | 'linked';
type Area = Feature<Polygon | MultiPolygon, { kind: Kind; id: string }>;

function polygon(kind: Kind, id: string, rings: Position[][]): Area {
  const geometry: Polygon | MultiPolygon =
    rings.length === 1
      ? { type: 'Polygon', coordinates: [rings[0]] }
      : { type: 'MultiPolygon', coordinates: rings.map((r) => [r]) };
  return { type: 'Feature', properties: { kind, id }, geometry };
}

const features: Area[] = [
  polygon('city', 'shanghai', [
    assemble('shanghai', ['shSzA', 'shSzB', 'shSzC', 'shJxA', 'shJxB', 'shJxC', 'shCoast']),
    finishRing(chongming),
    finishRing(changxing),
  ]),
  polygon('city', 'suzhou', [
    assemble('suzhou', [
      'szRiver',
      'shSzA',
      'shSzB',
      'shSzC',
      'szJxA',
      'szJxB',
      'szHzLand',
      'szHzLake',
      'szWxLake',
      'szWxLand',
    ]),
  ]),
  polygon('city', 'wuxi', [
    assemble('wuxi', ['wxRiver', '-szWxLand', '-szWxLake', '-wxHz', '-wxAnhui', '-wxCz']),
  ]),
  polygon('city', 'changzhou', [assemble('changzhou', ['wxCz', 'czOuter'])]),
  polygon('city', 'nantong', [finishRing(nantong)]),
  polygon('city', 'jiaxing', [
    assemble('jiaxing', ['shJxA', 'shJxB', 'shJxC', '-jxCoast', '-jxHangzhou', '-hzJx', '-szJxB', '-szJxA']),
  ]),
  polygon('city', 'huzhou', [
    assemble('huzhou', ['hzJx', 'hzHangzhou', 'hzAnhui', 'wxHz', '-szHzLake', '-szHzLand']),
  ]),
  polygon('city', 'ningbo', [finishRing(ningbo)]),
  polygon('city', 'zhoushan', Object.values(zhoushanIslands).map(finishRing)),
  polygon('district', 'qingpu', [assemble('qingpu', ['shSzB', 'shSzC', 'shJxA', '-qpInner'])]),
  polygon('district', 'wujiang', [
    assemble('wujiang', ['szJxA', 'szJxB', 'szHzLand', '-wjLake', '-wjNorth', 'shSzC']),
  ]),
  polygon('district', 'jiashan', [assemble('jiashan', ['shJxA', 'shJxB', 'jsInner', '-szJxA'])]),
  polygon('linked', 'hangzhou', [assemble('hangzhou', ['jxHangzhou', '-hangzhouOuter', '-hzHangzhou'])]),
];

// ---------------------------------------------------------------------------------------------------------------
// Output: one feature per line group, one ring per line.
// ---------------------------------------------------------------------------------------------------------------
function formatFeature(f: Area): string {
  const g = f.geometry;
  const ringLine = (r: Position[]): string => `[${r.map((p) => `[${p[0]},${p[1]}]`).join(',')}]`;
  const coords =
    g.type === 'Polygon'
      ? `[\n      ${g.coordinates.map(ringLine).join(',\n      ')}\n    ]`
      : `[\n      ${g.coordinates.map((poly) => `[${poly.map(ringLine).join(',')}]`).join(',\n      ')}\n    ]`;
  return [
    '  {',
    '    "type": "Feature",',
    `    "properties": ${JSON.stringify(f.properties)},`,
    `    "geometry": { "type": "${g.type}", "coordinates": ${coords} }`,
    '  }',
  ].join('\n');
}

const geojson = `{
"type": "FeatureCollection",
"features": [
${features.map(formatFeature).join(',\n')}
]
}
`;
const outPath = join(packDir, 'boundaries.geojson');
writeFileSync(outPath, geojson);
JSON.parse(geojson); // must be valid JSON

// ---------------------------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------------------------
interface RegionPlace {
  id: string;
  centroid: LonLat;
  areaKm2: number;
  city?: string;
}
interface RegionPack {
  cities: RegionPlace[];
  districts: RegionPlace[];
  linkedPlaces: RegionPlace[];
}
const region = JSON.parse(readFileSync(join(packDir, 'region.json'), 'utf8')) as RegionPack;

/** Every station of the rail pack's line table (served or not), by city: the one list of stations. */
const lineTable = JSON.parse(
  readFileSync(new URL('../data/regions/sma/gtfs/lines.json', import.meta.url), 'utf8'),
) as {
  stations: { en: string; lonLat: LonLat; city: string }[];
  unservedStations: { en: string; lonLat: LonLat; city: string }[];
};
const STATIONS: Record<string, Record<string, LonLat>> = {};
for (const station of [...lineTable.stations, ...lineTable.unservedStations]) {
  STATIONS[station.city] ??= {};
  STATIONS[station.city][station.en] = station.lonLat;
}

const OUTSIDE: Record<string, LonLat> = {
  'East China Sea': [123.5, 30.5],
  'East China Sea off Chongming': [122.8, 31.2],
  'Hangzhou East station': [120.21, 30.29],
  'Anhui (Guangde)': [119.0, 31.0],
  Nanjing: [118.8, 32.06],
};

const MIN_INSIDE_KM = 1.5;
const failures: string[] = [];
const fail = (msg: string): void => {
  failures.push(msg);
  console.log(`  FAIL ${msg}`);
};
const fmt = (n: number, d = 1): string => n.toFixed(d);

const byId = new Map(features.map((f) => [`${f.properties.kind}:${f.properties.id}`, f]));
const cities = features.filter((f) => f.properties.kind === 'city');
const districts = features.filter((f) => f.properties.kind === 'district');
const linked = features.filter((f) => f.properties.kind === 'linked');
const areaKm2 = (f: Feature<Polygon | MultiPolygon>): number => turf.area(f) / 1e6;

function vertexCount(f: Area): number {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  return polys.reduce((n, p) => n + p.reduce((m, r) => m + r.length - 1, 0), 0);
}

/** Distance in km from a point to the nearest edge of an area. */
function distanceToEdgeKm(pt: LonLat, f: Area): number {
  const lines = turf.polygonToLine(f);
  const list = lines.type === 'FeatureCollection' ? lines.features : [lines];
  let best = Number.POSITIVE_INFINITY;
  for (const line of list) {
    const g = line.geometry;
    const parts = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
    for (const coords of parts) {
      const d = turf.pointToLineDistance(turf.point(pt), turf.lineString(coords), { units: 'kilometers' });
      best = Math.min(best, d);
    }
  }
  return best;
}

console.log(`wrote ${outPath} (${fmt(geojson.length / 1024)} KB, ${features.length} features)\n`);

console.log('validity (closed, counter-clockwise, no self-intersections):');
for (const f of features) {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const poly of polys) {
    const ring = poly[0];
    if (!same(ring[0], ring[ring.length - 1])) fail(`${f.properties.id}: ring not closed`);
    if (signedArea(ring) <= 0) fail(`${f.properties.id}: exterior ring not counter-clockwise`);
  }
  const kinks = turf.kinks(f).features.length;
  if (kinks > 0) fail(`${f.properties.id}: ${kinks} self-intersection(s)`);
}
for (const f of features) {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (let i = 0; i < polys.length; i++) {
    for (let j = i + 1; j < polys.length; j++) {
      const a = turf.polygon(polys[i]);
      const b = turf.polygon(polys[j]);
      const x = turf.intersect(turf.featureCollection([a, b]));
      if (x && areaKm2(x) > 0.01) fail(`${f.properties.id}: parts ${i} and ${j} overlap`);
    }
  }
}
console.log(`  ${failures.length === 0 ? 'ok' : 'see failures above'}\n`);

console.log('overlaps between cities (and the linked place), km²:');
const members = [...cities, ...linked];
let overlapPairs = 0;
for (let i = 0; i < members.length; i++) {
  for (let j = i + 1; j < members.length; j++) {
    const a = members[i];
    const b = members[j];
    const x = turf.intersect(turf.featureCollection([a, b]));
    const area = x ? areaKm2(x) : 0;
    if (area > 0.01) fail(`${a.properties.id} ∩ ${b.properties.id} = ${fmt(area, 3)} km²`);
    else overlapPairs++;
  }
}
console.log(`  ${overlapPairs} pairs with zero overlap\n`);

console.log('shared borders (vertices in common):');
const vertexKeys = (f: Area): Set<string> => {
  const s = new Set<string>();
  turf.coordEach(f, (c) => s.add(`${c[0]},${c[1]}`));
  return s;
};
const NEIGHBOURS: [string, string][] = [
  ['shanghai', 'suzhou'],
  ['shanghai', 'jiaxing'],
  ['suzhou', 'wuxi'],
  ['suzhou', 'jiaxing'],
  ['suzhou', 'huzhou'],
  ['wuxi', 'changzhou'],
  ['wuxi', 'huzhou'],
  ['jiaxing', 'huzhou'],
];
for (const [a, b] of NEIGHBOURS) {
  const va = vertexKeys(byId.get(`city:${a}`)!);
  const shared = [...vertexKeys(byId.get(`city:${b}`)!)].filter((k) => va.has(k)).length;
  console.log(`  ${a}–${b}: ${shared}`);
  if (shared < 2) fail(`${a} and ${b} do not share a border`);
}
const triKey = `${J.tri[0]},${J.tri[1]}`;
const triOk = ['shanghai', 'suzhou', 'jiaxing'].every((c) => vertexKeys(byId.get(`city:${c}`)!).has(triKey));
console.log(`  Shanghai/Suzhou/Jiaxing tri-point [${J.tri.join(', ')}]: ${triOk ? 'shared' : 'MISSING'}`);
if (!triOk) fail('tri-point is not a vertex of Shanghai, Suzhou and Jiaxing');
for (const [a, b] of [
  ['qingpu', 'wujiang'],
  ['qingpu', 'jiashan'],
  ['wujiang', 'jiashan'],
]) {
  const va = vertexKeys(byId.get(`district:${a}`)!);
  const shared = [...vertexKeys(byId.get(`district:${b}`)!)].filter((k) => va.has(k)).length;
  console.log(`  ${a}–${b}: ${shared}`);
  if (shared < 2) fail(`districts ${a} and ${b} do not meet`);
}
console.log('');

console.log('districts inside their city, km² outside:');
for (const d of districts) {
  const place = region.districts.find((p) => p.id === d.properties.id);
  if (!place?.city) {
    fail(`district ${d.properties.id} missing from region.json`);
    continue;
  }
  const city = byId.get(`city:${place.city}`)!;
  const diff = turf.difference(turf.featureCollection([d, city]));
  const outside = diff ? areaKm2(diff) : 0;
  console.log(`  ${d.properties.id} in ${place.city}: ${fmt(outside, 3)}`);
  if (outside > 0.01) fail(`${d.properties.id} sticks out of ${place.city} by ${fmt(outside, 3)} km²`);
}
console.log('');

console.log(`centroids and stations inside their city (nearest edge, km; must be ≥ ${MIN_INSIDE_KM}):`);
function whereIs(pt: LonLat): string[] {
  return cities.filter((c) => turf.booleanPointInPolygon(pt, c)).map((c) => c.properties.id);
}
function checkInside(label: string, pt: LonLat, f: Area, minKm: number): void {
  const inside = turf.booleanPointInPolygon(pt, f);
  const d = distanceToEdgeKm(pt, f);
  if (inside && d >= minKm) {
    process.stdout.write(`${label} ${fmt(d)}; `);
    return;
  }
  fail(
    `${label} [${pt.join(', ')}] ${inside ? `only ${fmt(d, 2)} km inside` : 'outside'} ${f.properties.id}`,
  );
}
for (const place of [...region.cities, ...region.districts, ...region.linkedPlaces]) {
  const kind = region.cities.includes(place)
    ? 'city'
    : region.districts.includes(place)
      ? 'district'
      : 'linked';
  const f = byId.get(`${kind}:${place.id}`);
  if (!f) {
    fail(`no boundary for ${kind} ${place.id}`);
    continue;
  }
  process.stdout.write(`  ${place.id}: `);
  checkInside('centre', place.centroid, f, kind === 'city' ? MIN_INSIDE_KM : 0.5);
  for (const [name, pt] of Object.entries(STATIONS[place.id] ?? {})) {
    checkInside(name, pt, f, MIN_INSIDE_KM);
    // A member city's station lies in exactly one city; a linked place's (Hangzhou's) in none.
    const inCities = whereIs(pt);
    const expected = kind === 'linked' ? 0 : 1;
    if (inCities.length !== expected)
      fail(`${name} lies in ${inCities.length} member cities: ${inCities.join(', ')}`);
  }
  process.stdout.write('\n');
}
console.log('');

console.log('points in no member city:');
for (const [name, pt] of Object.entries(OUTSIDE)) {
  const inCities = whereIs(pt);
  const inLinked = linked.filter((l) => turf.booleanPointInPolygon(pt, l)).map((l) => l.properties.id);
  console.log(
    `  ${name} [${pt.join(', ')}]: ${inCities.length ? `in ${inCities.join(', ')}` : 'outside'}${
      inLinked.length ? ` (in linked ${inLinked.join(', ')})` : ''
    }`,
  );
  if (inCities.length > 0) fail(`${name} should be in no member city`);
}
console.log('');

console.log('areas: polygon km² vs official km² (aim 0.7–1.3), vertices:');
for (const place of [...region.cities, ...region.districts, ...region.linkedPlaces]) {
  const kind = region.cities.includes(place)
    ? 'city'
    : region.districts.includes(place)
      ? 'district'
      : 'linked';
  const f = byId.get(`${kind}:${place.id}`);
  if (!f) continue;
  const a = areaKm2(f);
  const ratio = a / place.areaKm2;
  const flag = ratio < 0.7 || ratio > 1.3 ? '  <- outside 0.7–1.3' : '';
  console.log(
    `  ${place.id.padEnd(10)} ${fmt(a, 0).padStart(6)} / ${String(place.areaKm2).padStart(7)} = ${fmt(ratio, 2)}  (${vertexCount(f)} vertices)${flag}`,
  );
}
console.log('');

if (failures.length > 0) {
  console.log(`${failures.length} hard check(s) failed`);
  process.exit(1);
}
console.log('all hard checks passed');
