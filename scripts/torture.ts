// `npm run torture`: the real daemon against the local world, SIGKILLed at random moments (100
// times unless PACTWATCH_KILLS says otherwise) while the feeds misbehave; then the books are
// checked (world/torture.ts). Exits 1 and lists the problems if any check fails.
import { runTorture } from '../world/torture.js';

const kills = Number(process.env.PACTWATCH_KILLS ?? 100);
const say = (line: string) => process.stderr.write(`torture: ${line}\n`);
const report = await runTorture({ kills, say, seed: Number(process.env.PACTWATCH_SEED ?? 42) });
say(`${report.kills} kills in ${report.seconds.toFixed(0)} s; ${report.items} items read; ${report.transitions} transitions, ${report.alerts} alerts, ${report.posts} posts on the PDS`);
if (report.stream) say(`stream: ${report.stream.posts} posts made, ${report.stream.mustStore} had to be stored, ${report.stream.stored} stored`);
say(`the last daemon stopped ${report.stopSeconds.toFixed(2)} s after SIGTERM`);
say(`feed requests: ${Object.entries(report.faults).map(([k, v]) => `${k} ${v}`).join(', ')}`);
if (report.problems.length) {
  for (const p of report.problems) say(`FAIL ${p}`);
  say(`daemon log: ${report.logFile}`);
  process.exit(1);
}
say('every transition once, every alert on the PDS once, nothing else posted, every stream post that must be stored stored once, integrity ok');
