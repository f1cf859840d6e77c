const m = () => { globalThis.gc(); const u = process.memoryUsage(); return [u.rss / 1048576, u.heapUsed / 1048576]; };
let [r0, h0] = m();
const { AtpAgent } = await import('@atproto/api');
let [r1, h1] = m(); console.log('import rss +' + (r1 - r0).toFixed(1), 'heap +' + (h1 - h0).toFixed(1));
const agents = []; for (let i = 0; i < 5; i++) agents.push(new AtpAgent({ service: 'http://127.0.0.1:1' }));
let [r2, h2] = m(); console.log('5 agents rss +' + (r2 - r1).toFixed(1), 'heap +' + (h2 - h1).toFixed(1));
