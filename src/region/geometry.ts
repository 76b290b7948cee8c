/**
 * Plane geometry on lon/lat degrees. At city scale the error of treating degrees as a plane
 * only moves borders by metres, and the pack's borders are simplified by kilometres anyway.
 */
import type { LonLat, MultiPolygon, Polygon } from './model.ts';

/** Points closer than this to an edge (≈ 1 cm) count as on it. */
export const BOUNDARY_EPSILON = 1e-7;

export type Side = 'inside' | 'boundary' | 'outside';

function distanceToSegment(p: LonLat, a: LonLat, b: LonLat): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  const t =
    lengthSquared === 0
      ? 0
      : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSquared));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Ray casting with the even-odd rule over all rings, so holes work; edges are checked first. */
export function sideOfPolygon(p: LonLat, polygon: Polygon): Side {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i];
      const b = ring[j];
      if (distanceToSegment(p, a, b) < BOUNDARY_EPSILON) return 'boundary';
      if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) {
        inside = !inside;
      }
    }
  }
  return inside ? 'inside' : 'outside';
}

export function sideOfMultiPolygon(p: LonLat, polygons: MultiPolygon): Side {
  let onBoundary = false;
  for (const polygon of polygons) {
    const side = sideOfPolygon(p, polygon);
    if (side === 'inside') return 'inside';
    if (side === 'boundary') onBoundary = true;
  }
  return onBoundary ? 'boundary' : 'outside';
}

export function bbox(polygon: Polygon): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const [x, y] of polygon[0]) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

const cross = (o: LonLat, a: LonLat, b: LonLat) =>
  (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** True when the segments cross at a single point interior to both (touching does not count). */
function properlyCross(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  const eps = 1e-14;
  return (
    ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) &&
    ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))
  );
}

function edges(polygons: MultiPolygon): [LonLat, LonLat][] {
  const out: [LonLat, LonLat][] = [];
  for (const polygon of polygons) {
    for (const ring of polygon) for (let i = 1; i < ring.length; i++) out.push([ring[i - 1], ring[i]]);
  }
  return out;
}

/**
 * Whether two areas share interior. Areas that only share border segments or vertices (as
 * neighbouring cities must) do not. Two areas overlap when an edge of one properly crosses an
 * edge of the other, when a vertex or an edge midpoint of one lies strictly inside the other,
 * or when a given interior point of one (e.g. its centroid) lies strictly inside the other.
 */
export function overlap(a: MultiPolygon, b: MultiPolygon, interiorA: LonLat, interiorB: LonLat): boolean {
  const edgesA = edges(a);
  const edgesB = edges(b);
  for (const [p, q] of edgesA) for (const [r, s] of edgesB) if (properlyCross(p, q, r, s)) return true;
  const probes = (es: [LonLat, LonLat][]): LonLat[] =>
    es.flatMap(([p, q]) => [p, [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2] as LonLat]);
  if (probes(edgesA).some((p) => sideOfMultiPolygon(p, b) === 'inside')) return true;
  if (probes(edgesB).some((p) => sideOfMultiPolygon(p, a) === 'inside')) return true;
  return sideOfMultiPolygon(interiorA, b) === 'inside' || sideOfMultiPolygon(interiorB, a) === 'inside';
}
