// A fault-injecting HTTP proxy in front of Orthanc, run inside the test process: tests add rules that delay,
// fail (500/503/429 with Retry-After) or reset chosen requests, then take them away again.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRule {
  /** Matched against method + ' ' + path (e.g. "GET /dicom-web/studies?…"). */
  match: RegExp;
  /** What to do instead of (or before) forwarding. */
  action: { status: number; retryAfter?: number } | { reset: true } | { delayMs: number };
  /** How many matching requests the rule applies to (default: all). */
  times?: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT, forwarding to the target with the same paths. */
  url: string;
  add(rule: FaultRule): void;
  clear(): void;
  /** Requests seen, as "METHOD path", with what was done to them. */
  readonly log: { request: string; fault?: string }[];
  stop(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: (FaultRule & { used: number })[] = [];
  const log: FaultProxy['log'] = [];
  const server = http.createServer((req, res) => {
    const request = `${req.method} ${req.url}`;
    const rule = rules.find((r) => r.match.test(request) && (r.times === undefined || r.used < r.times));
    const forward = () => {
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (!rule) {
      log.push({ request });
      return forward();
    }
    rule.used++;
    const a = rule.action;
    if ('reset' in a) {
      log.push({ request, fault: 'reset' });
      req.socket.destroy();
      return;
    }
    if ('delayMs' in a) {
      log.push({ request, fault: `delay ${a.delayMs}` });
      setTimeout(forward, a.delayMs);
      return;
    }
    log.push({ request, fault: String(a.status) });
    req.resume();
    res.writeHead(a.status, {
      'Content-Type': 'text/plain',
      ...(a.retryAfter !== undefined ? { 'Retry-After': String(a.retryAfter) } : {}),
    });
    res.end(`injected ${a.status}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    add: (rule) => rules.push({ ...rule, used: 0 }),
    clear: () => void (rules.length = 0),
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
