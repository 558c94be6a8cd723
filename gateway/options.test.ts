import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultAllowedHosts, isLoopback, outsideServed, pacsAuthorization, parseArgs, parseAuditForward, parsePacsUrl, redact } from './options.mjs';

describe('gateway options', () => {
  it('reads the command line and the environment', () => {
    const o = parseArgs(['--port', '9000', '--pacs', 'http://pacs:8042/dicom-web', '--mount', '/demo/dicom-web=/tmp/x', '--allowed-host', 'viewer.example', '--read-only'], {
      ALLOWED_HOSTS: 'a.example, b.example',
    });
    expect(o).toMatchObject({ port: 9000, pacs: 'http://pacs:8042/dicom-web', readOnly: true, mounts: [{ prefix: '/demo/dicom-web', dir: '/tmp/x' }] });
    expect(o.allowedHosts).toEqual(['a.example', 'b.example', 'viewer.example']);
    expect(parseArgs([], { PACS_URL: 'http://p/dicom-web' }).pacs).toBe('http://p/dicom-web');
  });

  it('refuses what it cannot use, saying why', () => {
    expect(() => parseArgs(['--port'], {})).toThrow('--port needs a value');
    expect(() => parseArgs(['--port', 'x'], {})).toThrow(/wants a number/);
    expect(() => parseArgs(['--bogus'], {})).toThrow(/unknown option --bogus/);
    expect(() => parseArgs(['--mount', '../x=/tmp'], {})).toThrow(/--mount wants/);
    expect(() => parseArgs(['--tls-cert', 'c.pem'], {})).toThrow(/go together/);
  });

  it('checks the PACS URL at start-up, and never repeats credentials', () => {
    expect(parsePacsUrl('http://127.0.0.1:8042/dicom-web/').pathname).toBe('/dicom-web');
    expect(() => parsePacsUrl('127.0.0.1:8042')).toThrow();
    expect(() => parsePacsUrl('not a url')).toThrow(/is not a URL/);
    expect(() => parsePacsUrl('ftp://pacs/dicom-web')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parsePacsUrl('http://admin:secret@pacs/dicom-web')).toThrow(/must not carry credentials/);
    try {
      parsePacsUrl('http://admin:secret@[bad/dicom-web');
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
    expect(redact('https://u:p@pacs.example/dicom-web')).toBe('https://pacs.example/dicom-web');
  });

  it('takes PACS credentials from a file outside the served folders, or the environment', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-opt-'));
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(dist);
    const outside = path.join(dir, 'pacs.auth');
    fs.writeFileSync(outside, 'Basic lumen:s3cret:with-colon\n');
    const inside = path.join(dist, 'pacs.auth');
    fs.writeFileSync(inside, 'Bearer abc');
    const o = parseArgs(['--pacs-auth-file', outside], {});
    expect(pacsAuthorization(o, {}, [dist])).toBe(`Basic ${Buffer.from('lumen:s3cret:with-colon').toString('base64')}`);
    expect(() => pacsAuthorization(parseArgs(['--pacs-auth-file', inside], {}), {}, [dist])).toThrow(/inside a served folder/);
    fs.writeFileSync(outside, 'password123');
    expect(() => pacsAuthorization(o, {}, [dist])).toThrow(/want one line/);
    expect(pacsAuthorization(parseArgs([], {}), { PACS_BEARER_TOKEN: 't0k' }, [dist])).toBe('Bearer t0k');
    expect(pacsAuthorization(parseArgs([], {}), {}, [dist])).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the audit options and checks the forwarding endpoint and where the trail is kept', () => {
    const o = parseArgs(['--audit-file', '/var/log/lumen/audit.jsonl', '--audit-forward', 'https://fhir.example/fhir/AuditEvent', '--audit-idle', '10', '--audit-instance', 'gw-1'], {});
    expect(o).toMatchObject({ auditFile: '/var/log/lumen/audit.jsonl', auditForward: 'https://fhir.example/fhir/AuditEvent', auditIdleS: 10, auditInstance: 'gw-1' });
    expect(parseArgs([], { AUDIT_FILE: 'a.jsonl', AUDIT_FORWARD_URL: 'syslog+tls://log:6514' })).toMatchObject({ auditFile: 'a.jsonl', auditForward: 'syslog+tls://log:6514', auditIdleS: 30 });
    expect(() => parseArgs(['--audit-forward', 'https://fhir.example/AuditEvent'], {})).toThrow(/need --audit-file/);
    expect(() => parseArgs(['--audit-file', 'a', '--audit-instance', 'a/b'], {})).toThrow(/--audit-instance/);
    expect(() => parseArgs(['--audit-file', 'a', '--audit-idle', '0'], {})).toThrow(/wants a number/);
    expect(parseAuditForward('syslog+tcp://127.0.0.1:514').port).toBe('514');
    expect(() => parseAuditForward('syslog+tls://log.example')).toThrow(/need a port/);
    expect(() => parseAuditForward('udp://log:514')).toThrow(/must be http/);
    expect(() => parseAuditForward('https://u:pw@fhir.example/AuditEvent')).toThrow(/must not carry credentials/);
    expect(() => outsideServed('/srv/dist/audit.jsonl', 'the audit file', ['/srv/dist'])).toThrow(/inside a served folder/);
    expect(() => outsideServed('/srv/audit.jsonl', 'the audit file', ['/srv/dist'])).not.toThrow();
  });

  it('answers to loopback names by default and knows loopback addresses', () => {
    expect(defaultAllowedHosts('127.0.0.1')).toEqual(['127.0.0.1', 'localhost', '[::1]', '::1']);
    expect(defaultAllowedHosts('0.0.0.0')).not.toContain('0.0.0.0');
    expect(defaultAllowedHosts('viewer.lan')).toContain('viewer.lan');
    expect(isLoopback('127.0.0.1') && isLoopback('localhost') && !isLoopback('0.0.0.0')).toBe(true);
  });
});
