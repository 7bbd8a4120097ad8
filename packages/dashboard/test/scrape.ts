import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { Dashboard } from '../src/index.js';

/** One sample of a scrape: `name` includes `_bucket`, `_sum`, `_count` for histograms. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Scrapes `/metrics` and parses it with a Prometheus text-format parser.
 * The parser folds a labelled histogram's series into one, so histogram
 * families are parsed a second time as untyped, which keeps every
 * `_bucket`, `_sum` and `_count` line with its labels.
 */
export async function scrape(dashboard: Dashboard): Promise<{ contentType: string | null; families: ReturnType<typeof parsePrometheusTextFormat>; samples: Sample[] }> {
  const response = await dashboard.fetch(new Request('http://127.0.0.1/metrics', { headers: { host: '127.0.0.1' } }));
  const text = await response.text();
  const families = parsePrometheusTextFormat(text);
  const samples = parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped')).flatMap((family) =>
    family.metrics.map((m) => ({ name: family.name, labels: m.labels ?? {}, value: Number(m.value) })),
  );
  return { contentType: response.headers.get('content-type'), families, samples };
}

/** The value of the one sample named `name` whose labels include `labels`, or undefined. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
