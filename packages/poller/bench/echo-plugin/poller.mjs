// The poller the benchmark drives: counts ticks in its cursor, nothing else.
import { servePoller } from '@belfry/poller/serve';

servePoller({ echo: (tick) => ({ cursor: { n: (tick.cursor?.n ?? 0) + 1 }, metrics: { n: 1 } }) });
