// Schedules as config states them: a cron expression node-cron accepts, and the one a source
// without its own gets. (Running them is the scheduler's job.)
import cron from 'node-cron';

export const DEFAULT_SCHEDULE = '*/15 * * * *';

export function isValidSchedule(expression: string): boolean {
  return cron.validate(expression);
}
