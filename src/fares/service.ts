/**
 * Fares as a service: the region's fare engine, read once from the pack's `fares/` folder (every
 * operator's feed and the regional rules, merged), and engines for other feeds on request.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { problem } from '../lib/errors.ts';
import { FareEngine } from './engine.ts';
import { readFareFeed } from './feed.ts';
import type { Quote, QuoteRequest } from './model.ts';

/** The feed folders of a pack's fares folder, in name order: every subfolder. */
export function fareFolders(faresDir: string): string[] {
  if (!existsSync(faresDir)) return [];
  return readdirSync(faresDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(faresDir, e.name))
    .sort();
}

export class FaresService {
  private readonly faresDir: string;
  private engine: FareEngine | undefined;

  constructor(faresDir: string) {
    this.faresDir = faresDir;
  }

  /** The region's fares on Metropolitan Tong: all the pack's fare feeds merged. */
  regional(): FareEngine {
    if (!this.engine) {
      const folders = fareFolders(this.faresDir);
      if (folders.length === 0) throw problem('no-fare', 'the region pack has no fares (no fares/ folder)');
      this.engine = new FareEngine(readFareFeed(folders));
    }
    return this.engine;
  }

  /** An engine for one GTFS feed with fares (a folder or a zip). */
  load(source: string): FareEngine {
    return new FareEngine(readFareFeed([source]));
  }

  quote(request: QuoteRequest): Quote {
    return this.regional().quote(request.legs, {
      riderCategory: request.riderCategory,
      fareMedium: request.fareMedium,
    });
  }
}
