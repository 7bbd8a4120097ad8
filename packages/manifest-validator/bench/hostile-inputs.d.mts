/** A manifest head that is valid apart from its schedules. */
export declare const HEADER: string;
/** `count` distinct zone names the runtime accepts. */
export declare function distinctZones(count: number): string[];
/** Cron date lists that never come (the 31st of short months). */
export declare function impossibleDateLists(): string[];
/** Each hostile input by name: a title and a function making its text. */
export declare const hostileInputs: Record<
  | 'binaryJunk10MB'
  | 'binaryJunk64KB'
  | 'toml10MB'
  | 'justUnderSizeLimit'
  | 'thousandZones'
  | 'thousandSchedulesOneZone'
  | 'deepArrays'
  | 'deepInlineTables'
  | 'deepDottedKeys'
  | 'deepTableHeader'
  | 'deepArrayOfTablesHeader'
  | 'deepMetadataArrays'
  | 'thousandUnknownKeys'
  | 'longStringValue'
  | 'longKey'
  | 'tokenTooLong'
  | 'bareTokenTooLong'
  | 'impossibleDates'
  | 'tooManySchedules',
  { title: string; text: () => string }
>;
