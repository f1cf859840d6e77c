const m = () => { global.gc(); const u = process.memoryUsage(); return [u.rss / 1048576, u.heapUsed / 1048576]; };
const copies = ['@atproto/api', '@atproto/lexicon', '@atproto/xrpc', '@atproto/common-web'].map((p) => require.resolve('zod', { paths: [require.resolve(p)] }));
let [r0, h0] = m();
for (const c of copies) { require(c); const [r, h] = m(); console.log(c.replace(/.*node_modules\/(.*)\/node_modules.*/, '$1'), 'rss +' + (r - r0).toFixed(1), 'heap +' + (h - h0).toFixed(1)); [r0, h0] = [r, h]; }
