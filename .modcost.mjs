// node [flags] modcost.mjs MODULE: RSS and heap after importing one module (and a GC).
import v8 from 'node:v8';
const m = () => { globalThis.gc(); const u = process.memoryUsage(); return [u.rss / 1048576, u.heapUsed / 1048576]; };
const [r0, h0] = m();
const mod = await import(process.argv[2]);
if (process.argv[3]) { const f = new Function('mod', process.argv[3]); await f(mod); }
const [r1, h1] = m();
console.log(process.argv[2].padEnd(28), 'rss +' + (r1 - r0).toFixed(1), 'heap +' + (h1 - h0).toFixed(1));
