// The local server's log: one short line per request by default, so the start banner (URL, token) stays on screen;
// with LOG_LEVEL set (e.g. DEBUG) the functions' own JSON logs instead, as in Lambda. Imported before any function module.

/** True unless LOG_LEVEL asks for the functions' JSON logs. */
export const shortRequestLines = !process.env.LOG_LEVEL;
// The functions still log warnings and errors (as JSON); their per-request INFO lines give way to the short line.
if (shortRequestLines) process.env.LOG_LEVEL = 'WARN';

export function printRequestLine(line: { method: string; path: string; status: number; durationMs: number }): void {
  const time = new Date().toISOString().slice(11, 19);
  console.log(`${time} ${line.method} ${line.path} → ${line.status} ${line.durationMs} ms`);
}
