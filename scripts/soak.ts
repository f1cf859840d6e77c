// `npm run soak`: a simulated day of news against the daemon in PACTWATCH_SOAK_SECONDS real
// seconds (600 unless set), sampling its memory and database size (world/soak.ts).
import { runSoak } from '../world/soak.js';

const seconds = Number(process.env.PACTWATCH_SOAK_SECONDS ?? 600);
const say = (line: string) => process.stderr.write(`soak: ${line}\n`);
const r = await runSoak({ seconds, say });
say(`${r.items} items; RSS peak ${r.peakRssMb.toFixed(0)} MB, ${r.warmRssMb.toFixed(0)} MB after warm-up, ${r.endRssMb.toFixed(0)} MB at the end (limit 150, flat)`);
say(`database: ${r.bytesPerItemMid.toFixed(0)} bytes an item at mid-run, ${r.bytesPerItemEnd.toFixed(0)} at the end`);
if (r.problems.length) {
  for (const p of r.problems) say(`FAIL ${p}`);
  process.exit(1);
}
say('memory under the limit and flat; the database grows with the items; the books balance');
