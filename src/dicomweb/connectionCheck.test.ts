import { describe, expect, it } from 'vitest';
import { dataSourceSchema } from './dataSource';
import { DicomWebClient } from './client';
import { checkConnection, type ProbeResponse } from './connectionCheck';
import { headerParameter } from './multipart';
import { DEFAULT_RETRY } from './retry';

const FAST = { ...DEFAULT_RETRY, retries: 0 };
const json = (b: unknown) => new Response(JSON.stringify(b), { status: 200, headers: { 'content-type': 'application/dicom+json' } });
const answer = (status: number, contentType = '', body?: unknown, headers: Record<string, string> = {}): ProbeResponse => ({
  status,
  contentType,
  headers: new Headers(headers),
  body: body === undefined ? undefined : JSON.stringify(body),
});

describe('checkConnection', () => {
  const ds = dataSourceSchema.parse({ name: 'p', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web', stowRoot: '/dicom-web' });
  const study = { '0020000D': { vr: 'UI', Value: ['1'] } };
  const client = new DicomWebClient(
    ds,
    async (url) => {
      if (url.endsWith('/metadata')) return json([{ '00080018': { vr: 'UI', Value: ['3'] }, '00280010': { vr: 'US', Value: [8] } }]);
      if (url.includes('/studies/1/series')) return json([{ '0020000E': { vr: 'UI', Value: ['2'] } }]);
      return new Response('', { status: 404 });
    },
    'http://viewer/',
    FAST,
  );

  it('passes every step on a working server and names the transfer syntax it sends', async () => {
    const steps = await checkConnection(
      client,
      async (url, init) => {
        if (url.includes('/studies?limit=1')) return answer(200, 'application/dicom+json', [study]);
        if (url.endsWith('/frames/1')) {
          return init.accept!.includes('transfer-syntax=*')
            ? answer(200, 'multipart/related; type="application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.80"; boundary=x')
            : answer(200, 'multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1');
        }
        if (init.method === 'POST') return answer(400);
        return answer(404);
      },
      'http://viewer',
    );
    expect(steps.map((s) => [s.id, s.result])).toEqual([
      ['qido', 'pass'],
      ['metadata', 'pass'],
      ['frame', 'pass'],
      ['transfer-syntax', 'pass'],
      ['stow', 'pass'],
      ['cors', 'pass'],
    ]);
    expect(steps[3]!.detail).toContain('1.2.840.10008.1.2.4.80');
  });

  it('sends credentials to the gateway, never into config.json', async () => {
    const steps = await checkConnection(client, async () => answer(401, 'text/plain'), 'http://viewer');
    const hint = steps.find((s) => s.id === 'qido')!;
    expect(hint.result).toBe('fail');
    expect(JSON.stringify(hint)).toContain('--pacs-auth-file');
    expect(JSON.stringify(hint)).not.toContain('requestHeaders');
  });

  it('explains an unreachable server, skips what depends on it, and flags missing CORS across origins', async () => {
    const steps = await checkConnection(client, async () => ({ status: 0, contentType: '', headers: new Headers(), error: 'Failed to fetch' }), 'http://elsewhere');
    const byId = Object.fromEntries(steps.map((s) => [s.id, s]));
    expect(byId.qido!.result).toBe('fail');
    expect(byId.qido!.detail).toContain('http://viewer/dicom-web/studies');
    expect(byId.qido!.hint).toContain('PACS_URL');
    expect(byId.metadata!.result).toBe('skip');
    expect(byId.frame!.result).toBe('skip');
    expect(byId.cors!.result).toBe('fail');
  });

  it('reads transfer syntaxes from quoted multipart types', () => {
    expect(headerParameter('multipart/related; type="application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1"; boundary=b', 'transfer-syntax')).toBe('1.2.840.10008.1.2.1');
  });
});
