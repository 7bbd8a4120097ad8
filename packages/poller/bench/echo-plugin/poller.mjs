// The poller the benchmark drives: counts ticks in its cursor, nothing else. KINDS picks the kinds it serves.
import { servePoller } from '@belfry/poller/serve';

const echo = (tick) => ({ cursor: { n: (tick.cursor?.n ?? 0) + 1 }, metrics: { n: 1 } });
servePoller(Object.fromEntries((process.env.KINDS ?? 'echo').split(',').map((kind) => [kind, echo])));
