import semver from 'semver';
import type { Diagnostic, DiagnosticCode, DiagnosticSeverity } from './diagnostic.js';
import { checkOneShot } from './check-one-shot.js';
import { checkScheduleExpression } from './check-schedule-expression.js';
import { checkTimeZone } from './check-time-zone.js';
import { describeTomlValue } from './describe-toml-value.js';
import { MAX_SCHEDULES } from './limits.js';
import { locate } from './locate.js';
import { ownValueAt } from './own-value-at.js';
import type { PathLocations } from './parse-located-toml.js';
import { tomlPath } from './toml-path.js';

type Draft = Omit<Diagnostic, 'file'>;
type Segments = (string | number)[];

/** Capabilities that must be listed exactly when their section is present. */
const SECTION_OF_CAPABILITY = [
  { capability: 'scheduled', key: 'schedules', section: '[[plugin.schedules]]' },
  { capability: 'poller', key: 'poller', section: '[plugin.poller]' },
  { capability: 'locking', key: 'locking', section: '[plugin.locking]' },
] as const;

/**
 * The checks that look at more than one field or outside the manifest:
 * duplicates, schedule expressions and zones, capabilities against the
 * sections present, and the host's API version. They read the raw document
 * and skip whatever has the wrong type, which the schema tier reports, so
 * every problem in a file is found in one pass.
 */
export function semanticDiagnostics(
  document: unknown,
  locations: PathLocations,
  hostApiVersion: string | undefined,
): Draft[] {
  const out: Draft[] = [];
  const report = (code: DiagnosticCode, segments: Segments, message: string, severity: DiagnosticSeverity = 'error'): void => {
    const at = locate(locations, segments, 'value');
    out.push({ tier: 'semantics', severity, code, message, path: tomlPath(segments), line: at.line, column: at.column });
  };

  checkSchedules(document, locations, report);
  reportDuplicates(document, ['plugin', 'poller', 'kinds'], locations, (segments, first, value) =>
    report('duplicate_kind', segments, `Poller kind ${describeTomlValue(value)} is listed twice in plugin.poller.kinds (first at ${first}).`),
  );
  reportDuplicates(document, ['plugin', 'capabilities'], locations, (segments, first, value) =>
    report('duplicate_capability', segments, `Capability ${describeTomlValue(value)} is listed twice (first at ${first}).`, 'warning'),
  );
  checkCapabilities(document, report);

  const range = ownValueAt(document, ['plugin', 'api_version']);
  if (hostApiVersion !== undefined && typeof range === 'string' && range.trim() !== '' && semver.validRange(range) !== null) {
    if (!semver.satisfies(hostApiVersion, range, { includePrerelease: true })) {
      report(
        'api_version_mismatch',
        ['plugin', 'api_version'],
        `plugin.api_version ${describeTomlValue(range)} does not admit this host's plugin API version ${hostApiVersion}; use a release of the plugin built for it.`,
      );
    }
  }
  return out;
}

type Report = (code: DiagnosticCode, segments: Segments, message: string, severity?: DiagnosticSeverity) => void;

function checkSchedules(document: unknown, locations: PathLocations, report: Report): void {
  const schedules = ownValueAt(document, ['plugin', 'schedules']);
  if (!Array.isArray(schedules)) return;
  const seenIds = new Map<string, Segments>();
  // Past the cap the schema tier already reports the list; checking more would only cost time.
  schedules.slice(0, MAX_SCHEDULES).forEach((schedule, index) => {
    const base: Segments = ['plugin', 'schedules', index];
    const id = ownValueAt(schedule, ['id']);
    if (typeof id === 'string' && id !== '') {
      const first = seenIds.get(id);
      if (first === undefined) seenIds.set(id, [...base, 'id']);
      else report('duplicate_schedule_id', [...base, 'id'], `Schedule id ${describeTomlValue(id)} is already used by another schedule of this plugin (at ${where(locations, first)}); ids must be unique within a plugin.`);
    }

    const timezone = ownValueAt(schedule, ['timezone']);
    let zone: string | undefined;
    if (typeof timezone === 'string' && timezone !== '') {
      // The zone is checked on its own, so a bad zone is reported at the zone, not at the expression.
      const zoneCheck = checkTimeZone(timezone);
      if (zoneCheck.ok) zone = timezone;
      else report('invalid_timezone', [...base, 'timezone'], `${tomlPath([...base, 'timezone'])} ${describeTomlValue(timezone)} is not a time zone: ${errorText(zoneCheck.error, timezone)}.`);
    }

    const at = ownValueAt(schedule, ['at']);
    if (typeof at === 'string' && at !== '') {
      const atCheck = checkOneShot(at);
      if (!atCheck.ok) report('invalid_schedule', [...base, 'at'], `${tomlPath([...base, 'at'])} ${describeTomlValue(at)} is not a one-shot instant: ${errorText(atCheck.error)}.`);
      else if (zone !== undefined) {
        report('timezone_ignored', [...base, 'timezone'], `${tomlPath([...base, 'timezone'])} has no effect: ${describeTomlValue(at)} is an instant with its own offset.`, 'warning');
      }
    }

    const cron = ownValueAt(schedule, ['cron']);
    if (typeof cron !== 'string' || cron === '') return;
    const check = checkScheduleExpression(cron);
    if (!check.ok) {
      report('invalid_schedule', [...base, 'cron'], `${tomlPath([...base, 'cron'])} ${describeTomlValue(cron)} is not a schedule expression: ${errorText(check.error)}.`);
      return;
    }
    if (check.kind === 'interval' && zone !== undefined) {
      report(
        'timezone_ignored',
        [...base, 'timezone'],
        `${tomlPath([...base, 'timezone'])} has no effect: ${describeTomlValue(cron)} is an interval, which counts elapsed time in every zone.`,
        'warning',
      );
    }
    if (check.neverFires) {
      report('schedule_never_fires', [...base, 'cron'], `${tomlPath([...base, 'cron'])} ${describeTomlValue(cron)} has no occurrence on any date, so it would never run.`);
    }
  });
}

function checkCapabilities(document: unknown, report: Report): void {
  const capabilities = ownValueAt(document, ['plugin', 'capabilities']);
  if (!Array.isArray(capabilities)) return;
  for (const { capability, key, section } of SECTION_OF_CAPABILITY) {
    const value = ownValueAt(document, ['plugin', key]);
    const present = key === 'schedules' ? Array.isArray(value) && value.length > 0 : value !== undefined;
    const listedAt = capabilities.indexOf(capability);
    if (listedAt !== -1 && !present) {
      report(
        'capability_without_section',
        ['plugin', 'capabilities', listedAt],
        `plugin.capabilities lists "${capability}" but the manifest has no ${section}; add the section or remove the capability.`,
      );
    } else if (listedAt === -1 && present) {
      report(
        'section_without_capability',
        ['plugin', 'capabilities'],
        `The manifest has ${section} but plugin.capabilities does not list "${capability}"; add it.`,
      );
    }
  }
}

function reportDuplicates(
  document: unknown,
  arrayPath: Segments,
  locations: PathLocations,
  onDuplicate: (segments: Segments, first: string, value: string) => void,
): void {
  const list = ownValueAt(document, arrayPath);
  if (!Array.isArray(list)) return;
  const seen = new Map<string, Segments>();
  list.forEach((item, index) => {
    if (typeof item !== 'string') return;
    const segments = [...arrayPath, index];
    const first = seen.get(item);
    if (first === undefined) seen.set(item, segments);
    else onDuplicate(segments, where(locations, first), item);
  });
}

function where(locations: PathLocations, segments: Segments): string {
  const at = locate(locations, segments, 'value');
  return `line ${at.line}, column ${at.column}`;
}

/** The reason from a ScheduleParseError, without the "Invalid schedule …:" lead our message already says. */
function errorText(error: unknown, alreadyNamed?: string): string {
  let text = error instanceof Error ? error.message : String(error);
  const details = error as { expression?: unknown; part?: unknown };
  if (typeof details.expression === 'string') {
    const part = typeof details.part === 'string' ? details.part : undefined;
    const lead = `Invalid schedule ${JSON.stringify(details.expression)}${part === undefined ? '' : ` (at ${JSON.stringify(part)})`}: `;
    if (text.startsWith(lead)) {
      text = text.slice(lead.length);
      if (part !== undefined && part !== details.expression && part !== alreadyNamed) text = `${text.replace(/\.$/, '')} (at ${JSON.stringify(part.length > 40 ? `${part.slice(0, 37)}...` : part)})`;
    }
  }
  const trimmed = text.replace(/\.$/, '');
  return trimmed.length > 200 ? `${trimmed.slice(0, 197)}...` : trimmed;
}
