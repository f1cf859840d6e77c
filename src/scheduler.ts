// Schedules: the only importer of node-cron. (The daemon's scheduling loop arrives with the sources.)
import cron from 'node-cron';

export const DEFAULT_SCHEDULE = '*/15 * * * *';

export function isValidSchedule(expression: string): boolean {
  return cron.validate(expression);
}
