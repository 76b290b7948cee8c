import type { UiText } from './i18n.tsx';
import type { Route } from './router.ts';

export interface ModuleInfo {
  route: Route;
  label: UiText;
  /** Whether the module has a working view yet; the others show what they will do. */
  live: boolean;
  summary: UiText;
}

export const MODULES: ModuleInfo[] = [
  {
    route: 'region',
    label: { zh: '区域', en: 'Region' },
    live: true,
    summary: {
      zh: '区域内的城市与辖区、人口与面积，以及特别区域（如上海大都市圈的一体化示范区）。',
      en: "The cities and jurisdictions of the region, their population and area, and special districts such as the SMA's demonstration zone.",
    },
  },
  {
    route: 'transit',
    label: { zh: '轨道', en: 'Rail planner' },
    live: true,
    summary: {
      zh: '基于各运营方的 GTFS 时刻表规划跨城轨道出行，计算城市间出行时间矩阵与车站可达性，并比较规划情景。',
      en: "Plans journeys across the regional rail network from every operator's GTFS timetable, with city-to-city travel-time matrices, station accessibility and scenario comparison.",
    },
  },
  {
    route: 'card',
    label: { zh: '都市通', en: 'Metropolitan Tong' },
    live: true,
    summary: {
      zh: '一张交通卡乘遍全区域各运营方：查看行程与票价（含区域封顶）、充值与挂失；票款经清算账本结算给各运营方。',
      en: 'One transit card on every operator in the region: trips and fares with regional capping, top-ups and the hotlist; fares settle to the operators through the clearing ledger.',
    },
  },
  {
    route: 'pass',
    label: { zh: '一票通', en: 'Museum pass' },
    live: false,
    summary: {
      zh: '“一票通”区域博物馆年票：可离线核验的签名二维码、闸机核验与参观记录，门票收入经清算账本在博物馆之间分配。',
      en: 'The "One Ticket, One Region" annual museum pass: an offline-verifiable signed QR code, gate checks and visits, with revenue shared among museums through the clearing ledger.',
    },
  },
  {
    route: 'water',
    label: { zh: '水质', en: 'Water' },
    live: false,
    summary: {
      zh: '跨界水质监测网络：传感器数据、质量控制、GB 3838-2002 水质类别与事件检测，跨界事件会标明上游辖区并通知相关部门。',
      en: 'The transboundary water-quality network: sensor readings, quality control, GB 3838-2002 classes and event detection; cross-border incidents name the upstream jurisdiction and alert every agency involved.',
    },
  },
  {
    route: 'observatory',
    label: { zh: '观测', en: 'Observatory' },
    live: false,
    summary: {
      zh: '区域一体化指标：通勤流、出行时间、博物馆参观、水质事件、住房、产业与供应链，展示一体化的进展。',
      en: 'Integration indicators — commuting flows, travel times, museum visits, water incidents, housing, industry and supply chains — showing how far the region works as one.',
    },
  },
];
