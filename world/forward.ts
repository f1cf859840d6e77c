// Passing a request on to another server (the local PDS): used by the world's entryway and by
// the tests' fault-injecting proxy in front of the PDS.
import type { IncomingMessage } from 'node:http';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Sends `req` (with its already-read `body`) to `target` and returns the answer, read whole. */
export async function forward(target: string, req: IncomingMessage, body: Buffer): Promise<{ status: number; contentType: string; payload: Buffer }> {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length' && k !== 'connection')) as Record<string, string>;
  const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: body.length ? body : undefined });
  return { status: upstream.status, contentType: upstream.headers.get('content-type') ?? 'application/json', payload: Buffer.from(await upstream.arrayBuffer()) };
}
