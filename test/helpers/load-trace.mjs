// Records every module the process loads, one URL a line, in the file LOAD_TRACE names: run as `node --import` before the command.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.LOAD_TRACE, url + '\\n');
  return next(url, context);
}`)}`,
);
