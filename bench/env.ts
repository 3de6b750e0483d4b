// Imported first by the benchmark: quiet logs (set before the logger module loads) and the SDK notice off.
import '../infra/local/env.js';

process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'ERROR';
