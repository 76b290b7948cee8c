/**
 * The feeds a deployment knows: those of the region pack (`<pack>/gtfs/feeds.json`) and those
 * imported with `tongcheng import gtfs` (copied under `<var>/feeds/<id>/`, so they outlive
 * their source). Timetables are built once per feed and cached on disk by the feed's hash; in
 * memory the most recently used few are kept and shared. A feed is named by id only: a path
 * reaches a file only through `registerFile`, which the CLI's `compare` alone calls.
 *
 * An import by another process (`tongcheng import gtfs` while the server runs) replaces the
 * feed's folder; the registry notices that its `feed.json` changed and loads the new timetable.
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
import { basename, dirname, join, resolve } from 'node:path';
import { Value } from 'typebox/value';
import { ensureWritableFolder } from '../lib/config.ts';
import { problem } from '../lib/errors.ts';
import { Name } from '../lib/name.ts';
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

/** Whether `text` has the shape of a feed id (else, to the CLI, it is a path). */
export const isFeedId = (text: string) => FEED_ID.test(text);

/** An imported feed whose record cannot be read: it is skipped, and named when asked for. */
export interface DamagedFeed {
  id: string;
  file: string;
  reason: string;
}

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
      Value.Check(Name, e?.name) &&
      (e.default === undefined || typeof e.default === 'boolean');
    if (!ok) {
      throw new RegionPackError(
        file,
        `[${i}]`,
        'needs an id (lower-case letters, digits, dashes) and a name by language tag, e.g. {"en": "…"}',
      );
    }
    if (!existsSync(join(dirname(file), e.id))) {
      throw new RegionPackError(file, `[${i}].id`, `names feed "${e.id}", but there is no folder ${e.id}/`);
    }
  });
  return entries;
}

/** A file's identity and time of change, '' when it is missing: what tells one version from the next. */
function fileStamp(file: string): string {
  try {
    const { ino, mtimeMs, size } = statSync(file);
    return `${ino}:${mtimeMs}:${size}`;
  } catch {
    return '';
  }
}

export class FeedRegistry {
  /** Loaded timetables by source path, least recently used first, with the record they were loaded for. */
  private readonly loaded = new Map<string, { stamp: string; timetable: Promise<Timetable> }>();
  /** Files the CLI named by path, by the id they were given. */
  private readonly files = new Map<string, FeedInfo>();
  private broken: DamagedFeed[] = [];
  private cacheChecked = false;
  private packFeeds: FeedInfo[] | undefined;
  /** Imported feeds' records, with the stamp of the `feed.json` they were read from. */
  private readonly records = new Map<string, { stamp: string; record: FeedInfo | DamagedFeed | undefined }>();

  constructor(
    private readonly packGtfsDir: string,
    private readonly varDir: string,
    /** How many timetables stay in memory. */
    private readonly keep = 8,
  ) {}

  private get importDir() {
    return join(this.varDir, 'feeds');
  }

  private get cacheDir() {
    return join(this.varDir, 'cache', 'transit');
  }

  /** The feeds that can be opened; imported feeds with a damaged record are left out (see `damaged`). */
  list(): FeedInfo[] {
    // The pack's feeds change with a new version of the pack, that is with a restart: read once.
    this.packFeeds ??= this.readPackFeeds();
    const imported: FeedInfo[] = [];
    const broken: DamagedFeed[] = [];
    for (const id of this.importedIds()) {
      const record = this.record(id);
      if (record && 'reason' in record) broken.push(record);
      else if (record) imported.push(record);
    }
    this.broken = broken;
    const all = [...this.packFeeds, ...imported];
    if (all.length > 0 && !all.some((f) => f.default)) all[0] = { ...all[0], default: true };
    return all;
  }

  private readPackFeeds(): FeedInfo[] {
    const manifest = join(this.packGtfsDir, 'feeds.json');
    if (!existsSync(manifest)) return [];
    return readManifest(manifest).map((e) => ({
      id: e.id,
      name: e.name,
      source: 'pack' as const,
      path: join(this.packGtfsDir, e.id),
      default: !!e.default,
    }));
  }

  /** An imported feed's record, read again only when its `feed.json` changed (another import). */
  private record(id: string): FeedInfo | DamagedFeed | undefined {
    const stamp = fileStamp(join(this.importDir, id, 'feed.json'));
    const known = this.records.get(id);
    if (known && known.stamp === stamp) return known.record;
    const record = this.readRecord(id);
    this.records.set(id, { stamp, record });
    return record;
  }

  /** The imported feeds the last `list` skipped because their record is damaged. */
  damaged(): DamagedFeed[] {
    return this.broken;
  }

  private importedIds(): string[] {
    try {
      // Staging and replaced folders start with a dot, and are no feed's id.
      return readdirSync(this.importDir).filter(isFeedId).sort();
    } catch {
      return [];
    }
  }

  /**
   * An imported feed's `feed.json`, checked: a feed, nothing (a folder without a record is not
   * a feed), or what is wrong with it. The timetable's path is the folder's own, whatever the
   * record says, so that a record cannot point the server at another file.
   */
  private readRecord(id: string): FeedInfo | DamagedFeed | undefined {
    const dir = join(this.importDir, id);
    const file = join(dir, 'feed.json');
    const damaged = (reason: string): DamagedFeed => ({ id, file, reason });
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(file);
    } catch {
      return undefined;
    }
    // A FIFO would block the read for ever.
    if (!stat.isFile()) return damaged('is not a regular file');
    let record: { id?: unknown; name?: unknown; importedAt?: unknown };
    try {
      record = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      return damaged(`is not valid JSON (${(error as Error).message})`);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      return damaged('is not a JSON object');
    }
    if (record.id !== id) return damaged(`names feed ${JSON.stringify(record.id)}, not "${id}"`);
    const name = record.name;
    if (!Value.Check(Name, name)) return damaged('has no name by language tag');
    const zip = join(dir, 'feed.zip');
    return {
      id,
      name,
      source: 'import',
      path: existsSync(zip) ? zip : dir,
      default: false,
      ...(typeof record.importedAt === 'string' ? { importedAt: record.importedAt } : {}),
    };
  }

  /**
   * What tells one import of a feed from the next: its record's identity and time of change. A
   * pack feed changes with a new version of the pack, that is with a restart.
   */
  private stamp(info: FeedInfo): string {
    if (info.source === 'pack') return '';
    return fileStamp(info.source === 'import' ? join(this.importDir, info.id, 'feed.json') : info.path);
  }

  /**
   * A GTFS zip or folder named by path, under an id made from its name, for the CLI's `compare`:
   * only this process can then open it by that id. The server never calls this.
   */
  registerFile(path: string, field = 'feed'): string {
    if (!existsSync(path)) throw problem('no-such-file', `${field}: no file or folder "${path}"`, field);
    const full = resolve(path);
    for (const [id, info] of this.files) if (info.path === full) return id;
    const stem =
      basename(full)
        .replace(/\.zip$/i, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 36) || 'file';
    const taken = new Set([...this.list().map((f) => f.id), ...this.files.keys()]);
    let id = stem;
    for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`;
    this.files.set(id, { id, name: { und: path }, source: 'file', path: full, default: false });
    return id;
  }

  /**
   * A known feed by id (the default one when no id is given) with its timetable: built or read
   * from the cache once, then shared while it stays among the recently used. Anything that is
   * not a known id is an `unknown-feed` problem naming `field`, paths included.
   */
  async open(id: string | undefined, field = 'feed', options: ReadGtfsOptions = {}) {
    const feeds = this.list();
    const info =
      id === undefined
        ? feeds.find((f) => f.default)
        : (feeds.find((f) => f.id === id) ?? this.files.get(id));
    if (!info) {
      const damaged = this.broken.find((d) => d.id === id);
      if (damaged) {
        throw problem(
          'feed-damaged',
          `${field}: feed "${damaged.id}" cannot be read: ${damaged.file} ${damaged.reason}; \`tongcheng import gtfs … --as ${damaged.id}\` imports it again`,
          field,
        );
      }
      const known = feeds.map((f) => f.id).join(', ') || 'none';
      throw problem(
        'unknown-feed',
        `${field}: no feed ${JSON.stringify(id ?? '(default)')}; known feeds: ${known}`,
        field,
      );
    }
    return { info, tt: await this.timetable(info, options) };
  }

  private timetable(info: FeedInfo, options: ReadGtfsOptions): Promise<Timetable> {
    const { path } = info;
    const stamp = this.stamp(info);
    const entry = this.loaded.get(path);
    this.loaded.delete(path);
    if (entry && entry.stamp === stamp) {
      this.loaded.set(path, entry);
      return entry.timetable;
    }
    if (!this.cacheChecked) {
      // Found here, an unusable var folder is one clear error, not a failed write deep in a build.
      ensureWritableFolder(this.varDir, 'TONGCHENG_VAR');
      ensureWritableFolder(this.cacheDir, 'TONGCHENG_VAR');
      this.cacheChecked = true;
    }
    const timetable = cachedTimetable(path, this.cacheDir, {}, options);
    const loaded = { stamp, timetable };
    timetable.catch(() => {
      if (this.loaded.get(path) === loaded) this.loaded.delete(path);
    });
    this.loaded.set(path, loaded);
    while (this.loaded.size > this.keep) this.loaded.delete(this.loaded.keys().next().value!);
    return timetable;
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
    if (!isFeedId(id))
      throw problem('invalid-feed-id', `id must be lower-case letters, digits and dashes; got "${id}"`, 'id');
    if (this.list().some((f) => f.id === id && f.source === 'pack')) {
      throw problem('feed-exists', `"${id}" is a feed of the region pack; choose another id`, 'id');
    }
    if (!existsSync(source)) throw problem('no-such-file', `source: no file or folder "${source}"`, 'source');
    ensureWritableFolder(this.varDir, 'TONGCHENG_VAR');
    const dir = join(this.importDir, id);
    const staging = join(this.importDir, `.${id}-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    let path: string;
    if (statSync(source).isDirectory()) {
      for (const file of readdirSync(source))
        if (file.endsWith('.txt') && statSync(join(source, file)).isFile())
          copyFileSync(join(source, file), join(staging, file));
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
      // An imported feed is named by its id, which is in no language ('und', undetermined).
      name: { und: id },
      source: 'import',
      path,
      default: false,
      importedAt: now.toISOString(),
    };
    writeFileSync(
      join(staging, 'feed.json'),
      `${JSON.stringify({ id, name: info.name, importedAt: info.importedAt, from: basename(source) }, null, 2)}\n`,
    );
    // The old folder is moved aside before the new one takes its place, so that a server reading
    // meanwhile finds the one or the other, never no feed.
    const replaced = join(this.importDir, `.${id}-replaced-${process.pid}`);
    rmSync(replaced, { recursive: true, force: true });
    if (existsSync(dir)) renameSync(dir, replaced);
    renameSync(staging, dir);
    rmSync(replaced, { recursive: true, force: true });
    this.loaded.delete(path);
    return { info, tt };
  }
}
