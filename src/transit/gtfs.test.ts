import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Problem } from '../lib/errors.ts';
import { readGtfs } from './gtfs.ts';
import { planJourneys } from './planner.ts';
import { findStops } from './stops.ts';
import { buildTimetable } from './timetable.ts';

const good: Record<string, string> = {
  'agency.txt': 'agency_id,agency_name,agency_url,agency_timezone\nSMA,Metro Rail,https://x,Asia/Shanghai\n',
  'feed_info.txt':
    'feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date\nSMA,https://x,zh-CN,20260101,20271231\n',
  'stops.txt':
    '\ufeffstop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\r\n' +
    'HQ,上海虹桥站,31.194,121.320,1,\r\nHQ1,上海虹桥站,31.194,121.320,0,HQ\r\n' +
    'HZD,杭州东站,30.290,120.212,1,\r\nHZD1,杭州东站,30.290,120.212,0,HZD\r\n' +
    'JX,"嘉兴南站",30.700,120.780,0,\r\n',
  'routes.txt':
    'route_id,route_short_name,route_long_name,route_type\nG,G,"Shanghai–Hangzhou, high speed",2\n',
  'calendar.txt':
    'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nDAILY,1,1,1,1,1,1,1,20260101,20271231\n',
  'trips.txt': 'route_id,service_id,trip_id\nG,DAILY,G7301\nG,DAILY,NIGHT\nG,DAILY,SHUTTLE\n',
  'stop_times.txt':
    'trip_id,arrival_time,departure_time,stop_id,stop_sequence\n' +
    'G7301,08:00:00,08:00:00,HQ1,1\nG7301,08:30:00,08:32:00,JX,2\nG7301,09:00:00,09:00:00,HZD1,3\n' +
    'NIGHT,23:50:00,23:50:00,HQ1,1\nNIGHT,,,JX,2\nNIGHT,24:40:00,24:40:00,HZD1,3\n' +
    'SHUTTLE,00:00:00,00:00:00,JX,1\nSHUTTLE,00:10:00,00:10:00,HZD1,2\n',
  'frequencies.txt': 'trip_id,start_time,end_time,headway_secs\nSHUTTLE,24:10:00,25:00:00,1200\n',
  'translations.txt':
    'table_name,field_name,language,translation,record_id,field_value\n' +
    'stops,stop_name,en,Shanghai Hongqiao,HQ,\nstops,stop_name,en,Hangzhou East,,杭州东站\nstops,stop_name,en,Jiaxing South,JX,\n',
};

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function feedDir(files: Record<string, string | undefined>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gtfs-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files))
    if (text !== undefined) writeFileSync(path.join(dir, name), text);
  return dir;
}

async function problemOf(files: Record<string, string | undefined>): Promise<Problem> {
  try {
    await readGtfs(feedDir(files));
  } catch (error) {
    expect(error).toBeInstanceOf(Problem);
    return error as Problem;
  }
  throw new Error('expected a Problem');
}

describe('readGtfs', () => {
  it('reads a feed with BOM, CRLF, quotes, translations, blank times and frequencies', async () => {
    const progress: string[] = [];
    const feed = await readGtfs(feedDir(good), { onProgress: (p) => progress.push(`${p.file}:${p.rows}`) });
    expect(progress).toContain('stop_times.txt:8');
    expect(feed.lang).toBe('zh-CN');
    expect(feed.stops[0].names).toEqual({ 'zh-CN': '上海虹桥站', en: 'Shanghai Hongqiao' });
    expect(feed.stops[2].names.en).toBe('Hangzhou East');
    expect(feed.routes[0].longName).toBe('Shanghai–Hangzhou, high speed');
    // NIGHT's blank time at JX is interpolated; SHUTTLE becomes three trips at 24:10, 24:30, 24:50.
    expect(feed.stopTimes.arrival[4]).toBe(24 * 3600 + 15 * 60);
    expect(feed.trips.map((t) => t.id)).toEqual([
      'G7301',
      'NIGHT',
      'SHUTTLE@87000',
      'SHUTTLE@88200',
      'SHUTTLE@89400',
    ]);
  });

  it('finds stops in either language, with compass words in pinyin', async () => {
    const tt = buildTimetable(await readGtfs(feedDir(good)));
    for (const q of ['Shanghai Hongqiao', '上海虹桥', 'hongqiao', 'SHANGHAI-HONGQIAO']) {
      expect(findStops(tt, q)[0].id, q).toBe('HQ');
    }
    for (const q of ['Hangzhou East', 'Hangzhoudong', '杭州东', 'hangzhou east station']) {
      expect(findStops(tt, q)[0].id, q).toBe('HZD');
    }
    expect(findStops(tt, 'Hangzou East')[0].id).toBe('HZD');
    expect(findStops(tt, 'Hongqiao')[0].stops.map((s) => tt.stopIds[s])).toEqual(['HQ1']);
  });

  it('a trip departing 23:50 arrives 00:40 the next day, with the right instants', async () => {
    const tt = buildTimetable(await readGtfs(feedDir(good)));
    const [j] = planJourneys(tt, { from: 'HQ', to: 'HZD', date: '2026-03-10', time: '23:00' });
    expect(j.arrival).toMatchObject({
      date: '2026-03-10',
      time: '24:40:00',
      utc: '2026-03-10T16:40:00.000Z',
    });
    expect(j.departure.utc).toBe('2026-03-10T15:50:00.000Z');
  });

  it("a 24:10–25:00 trip of yesterday's service is found from 00:05 today", async () => {
    const tt = buildTimetable(await readGtfs(feedDir(good)));
    const j = planJourneys(tt, { from: 'JX', to: 'HZD', date: '2026-03-11', time: '00:05' }).at(-1)!;
    const ride = j.legs[0];
    expect(ride.kind).toBe('ride');
    expect(ride.departure).toMatchObject({
      date: '2026-03-10',
      time: '24:10:00',
      utc: '2026-03-10T16:10:00.000Z',
    });
    expect(ride.arrival).toMatchObject({ date: '2026-03-10', time: '24:20:00' });
    expect(j.arrival.seconds).toBe(20 * 60);
  });

  it('reports a missing file', async () => {
    const p = await problemOf({ ...good, 'stops.txt': undefined });
    expect(p.status).toBe(422);
    expect(p.code).toBe('gtfs-invalid');
    expect(p.message).toMatch(/stops\.txt/);
  });

  it('reports a missing column with its name', async () => {
    const p = await problemOf({ ...good, 'trips.txt': 'route_id,trip_id\nG,G7301\n' });
    expect(p.message).toBe('trips.txt line 1, field service_id: required column is missing');
  });

  it('reports a bad time with file, line and field', async () => {
    const stopTimes = good['stop_times.txt']!.replace('08:30:00,08:32:00', '08:30:00,25:7x:00');
    const p = await problemOf({ ...good, 'stop_times.txt': stopTimes });
    expect(p.message).toBe(
      'stop_times.txt line 3, field departure_time: "25:7x:00" is not a time (HH:MM:SS)',
    );
    expect(p.field).toBe('departure_time');
  });

  it('reports an unknown stop reference', async () => {
    const stopTimes = good['stop_times.txt']!.replace('09:00:00,HZD1,3', '09:00:00,NOWHERE,3');
    const p = await problemOf({ ...good, 'stop_times.txt': stopTimes });
    expect(p.message).toBe('stop_times.txt line 4, field stop_id: unknown stop "NOWHERE"');
  });

  it('reports an unknown trip, a repeated stop_sequence and time running backwards', async () => {
    const st = good['stop_times.txt']!;
    expect(
      (await problemOf({ ...good, 'stop_times.txt': `${st}GHOST,08:00:00,08:00:00,JX,1\n` })).message,
    ).toBe('stop_times.txt line 10, field trip_id: unknown trip "GHOST"');
    expect(
      (await problemOf({ ...good, 'stop_times.txt': st.replace('JX,2\nG7301', 'JX,1\nG7301') })).message,
    ).toBe('stop_times.txt line 3, field stop_sequence: stop_sequence 1 repeats in the trip');
    expect(
      (await problemOf({ ...good, 'stop_times.txt': st.replace('09:00:00,09:00:00', '08:10:00,08:10:00') }))
        .message,
    ).toBe('stop_times.txt line 4, field arrival_time: time goes backwards along the trip');
  });

  it('reports a bad time zone and a broken zip', async () => {
    const agency = good['agency.txt']!.replace('Asia/Shanghai', 'Mars/Olympus');
    expect((await problemOf({ ...good, 'agency.txt': agency })).message).toMatch(
      /agency\.txt line 2, field agency_timezone/,
    );
    const dir = feedDir({});
    writeFileSync(path.join(dir, 'feed.zip'), 'not a zip');
    await expect(readGtfs(path.join(dir, 'feed.zip'))).rejects.toThrow(/not a readable zip/);
  });
});
