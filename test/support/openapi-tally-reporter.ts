// A vitest reporter: at the end of the run, how many responses the OpenAPI validator (test/support/setup.ts) checked.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Reporter } from 'vitest/reporters';

type Tally = { checked: number; outsideDocument: number; operations: Record<string, Record<string, number>> };

export default class OpenApiTallyReporter implements Reporter {
  onTestRunEnd() {
    const log = process.env.CRS_OPENAPI_TALLY;
    if (!log || !existsSync(log)) return;
    const total: Tally = { checked: 0, outsideDocument: 0, operations: {} };
    for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
      const t = JSON.parse(line) as Tally;
      total.checked += t.checked;
      total.outsideDocument += t.outsideDocument;
      for (const [op, byStatus] of Object.entries(t.operations)) {
        const into = (total.operations[op] ??= {});
        for (const [status, n] of Object.entries(byStatus)) into[status] = (into[status] ?? 0) + n;
      }
    }
    const pairs = Object.values(total.operations).reduce((n, byStatus) => n + Object.keys(byStatus).length, 0);
    const out = resolve(import.meta.dirname, '../../.tmp');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'openapi-validation.json'), JSON.stringify(total, null, 2));
    console.log(
      `\nOpenAPI validator: ${total.checked} responses checked against the document (${Object.keys(total.operations).length} operations, ` +
        `${pairs} operation/status pairs); ${total.outsideDocument} answers to undocumented routes not checked. Details: .tmp/openapi-validation.json`,
    );
  }
}
