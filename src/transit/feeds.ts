/**
 * The feeds a deployment knows: those of the region pack (`<pack>/gtfs/feeds.json`) and those
 * imported with `tongcheng import gtfs` (copied under `<var>/feeds/<id>/`, so they outlive
 * their source). Timetables are built once per feed and cached on disk by the feed's hash;
 * in memory each is loaded at most once and shared, since it never changes.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { problem } from '../lib/errors.ts';
import type { Name } from '../lib/name.ts';
import { RegionPackError } from '../region/index.ts';
import type { ReadGtfsOptions } from './gtfs.ts';
import { cachedTimetable, type Timetable } from './timetable.ts';

export interface FeedInfo {
  id: string;
  name: Name;
  /** `file`: a zip or folder named by path, not kept. */
  source: 'pack' | 'import' | 'file';
  /** The folder or zip the timetable is read from. */
  path: string;
  default: boolean;
  importedAt?: string;
}

const FEED_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The pack's list of feeds; a broken one stops the server with the file and the entry named. */
function readManifest(file: string): { id: string; name: Name; default?: boolean }[] {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RegionPackError(file, '', `not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(entries)) throw new RegionPackError(file, '', 'must be a list of feeds');
  entries.forEach((e, i) => {
    const ok =
      typeof e?.id === 'string' &&
      FEED_ID.test(e.id) &&
      typeof e?.name?.zh === 'string' &&
      typeof e?.name?.en === 'string' &&
      (e.default === undefined || typeof e.default === 'boolean');
    if (!ok)
      throw new Error(`${file}: [${i}] needs an id (lower-case letters, digits, dashes) and name {zh, en}`);
    if (!existsSync(join(dirname(file), e.id))) {
      throw new RegionPackError(file, `[${i}].id`, `names feed "${e.id}", but there is no folder ${e.id}/`);
    }
  });
  return entries;
}

export class FeedRegistry {
  private readonly loaded = new Map<string, Promise<Timetable>>();

  constructor(
    private readonly packGtfsDir: string,
    private readonly varDir: string,
  ) {}

  private get importDir() {
    return join(this.varDir, 'feeds');
  }

  private get cacheDir() {
    return join(this.varDir, 'cache', 'transit');
  }

  list(): FeedInfo[] {
    const pack: FeedInfo[] = [];
    const manifest = join(this.packGtfsDir, 'feeds.json');
    if (existsSync(manifest)) {
      for (const e of readManifest(manifest)) {
        pack.push({
          id: e.id,
          name: e.name,
          source: 'pack',
          path: join(this.packGtfsDir, e.id),
          default: !!e.default,
        });
      }
    }
    const imported: FeedInfo[] = [];
    if (existsSync(this.importDir)) {
      for (const id of readdirSync(this.importDir).sort()) {
        const meta = join(this.importDir, id, 'feed.json');
        if (existsSync(meta)) imported.push({ ...JSON.parse(readFileSync(meta, 'utf8')), default: false });
      }
    }
    const all = [...pack, ...imported];
    if (all.length > 0 && !all.some((f) => f.default)) all[0].default = true;
    return all;
  }

  /**
   * A known feed (the default one when no id is given), or a GTFS zip or folder given by path
   * (for the CLI's `compare`), with its timetable: built or read from the cache once, then shared.
   */
  async open(idOrPath: string | undefined, field = 'feed', options: ReadGtfsOptions = {}) {
    const feeds = this.list();
    let info = idOrPath === undefined ? feeds.find((f) => f.default) : feeds.find((f) => f.id === idOrPath);
    if (!info && idOrPath !== undefined && existsSync(idOrPath)) {
      info = {
        id: basename(idOrPath),
        name: { zh: idOrPath, en: idOrPath },
        source: 'file',
        path: idOrPath,
        default: false,
      };
    }
    if (!info) {
      const known = feeds.map((f) => f.id).join(', ') || 'none';
      throw problem(
        'unknown-feed',
        `${field}: no feed "${idOrPath ?? '(default)'}"; known feeds: ${known}`,
        field,
      );
    }
    const { path } = info;
    let promise = this.loaded.get(path);
    if (!promise) {
      promise = cachedTimetable(path, this.cacheDir, {}, options);
      promise.catch(() => this.loaded.delete(path));
      this.loaded.set(path, promise);
    }
    return { info, tt: await promise };
  }

  /**
   * Copies a feed in under an id, checks it by building its timetable, and records it. Importing
   * the same id again replaces the feed; a pack feed's id cannot be taken.
   */
  async import(
    source: string,
    id: string,
    options: ReadGtfsOptions = {},
    now = new Date(),
  ): Promise<{ info: FeedInfo; tt: Timetable }> {
    if (!FEED_ID.test(id))
      throw problem('invalid-feed-id', `id must be lower-case letters, digits and dashes; got "${id}"`, 'id');
    if (this.list().some((f) => f.id === id && f.source === 'pack')) {
      throw problem('feed-exists', `"${id}" is a feed of the region pack; choose another id`, 'id');
    }
    if (!existsSync(source)) throw problem('no-such-file', `source: no file or folder "${source}"`, 'source');
    const dir = join(this.importDir, id);
    const staging = join(this.importDir, `.${id}-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    let path: string;
    if (statSync(source).isDirectory()) {
      for (const file of readdirSync(source))
        if (file.endsWith('.txt')) copyFileSync(join(source, file), join(staging, file));
      path = dir;
    } else if (source.endsWith('.zip')) {
      copyFileSync(source, join(staging, 'feed.zip'));
      path = join(dir, 'feed.zip');
    } else {
      rmSync(staging, { recursive: true, force: true });
      throw problem('not-gtfs', `source: "${source}" is neither a GTFS folder nor a .zip`, 'source');
    }
    let tt: Timetable;
    try {
      // Built from the staged copy: a broken feed leaves the registry as it was.
      const stagedPath = path.endsWith('.zip') ? join(staging, 'feed.zip') : staging;
      tt = await cachedTimetable(stagedPath, this.cacheDir, {}, options);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw error;
    }
    const info: FeedInfo = {
      id,
      name: { zh: id, en: id },
      source: 'import',
      path,
      default: false,
      importedAt: now.toISOString(),
    };
    writeFileSync(
      join(staging, 'feed.json'),
      `${JSON.stringify({ ...info, from: basename(source) }, null, 2)}\n`,
    );
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    this.loaded.delete(path);
    return { info, tt };
  }
}
