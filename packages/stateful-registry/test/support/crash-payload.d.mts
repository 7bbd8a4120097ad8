import type { StatefulSnapshot } from '@belfry/plugin-api';

export function payloadFor(seq: number): StatefulSnapshot;
export function stepOf(snapshot: StatefulSnapshot): { seq: number; broken?: undefined } | { broken: string; seq?: undefined };
