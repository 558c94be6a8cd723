import { describe, expect, it } from 'vitest';
import { classify, isUid, MAX_URL_LENGTH } from './allowlist.mjs';

const S = '1.2.840.113619.2.55.3.604688119.969.1268071029.320';
const R = '1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457';
const I = '2.25.318472605812640192837465018273645019283';

// [method, request target, status when refused (or 'ok'), kind when allowed]
const TABLE: [string, string, number | 'ok', string?][] = [
  // QIDO-RS at every level
  ['GET', '/dicom-web/studies', 'ok', 'search'],
  ['GET', '/dicom-web/studies?PatientName=DOE*&limit=50&includefield=00081030', 'ok', 'search'],
  ['GET', '/dicom-web/series?Modality=CT', 'ok', 'search'],
  ['GET', '/dicom-web/instances', 'ok', 'search'],
  ['GET', `/dicom-web/studies/${S}/series`, 'ok', 'search'],
  ['GET', `/dicom-web/studies/${S}/instances`, 'ok', 'search'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances`, 'ok', 'search'],
  ['HEAD', '/dicom-web/studies', 'ok', 'search'],
  // WADO-RS: retrieve, metadata, frames, rendered, thumbnails, bulk data
  ['GET', `/dicom-web/studies/${S}`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/metadata`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/metadata`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/rendered`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/thumbnail`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/metadata`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/frames/1`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/frames/1,2,3`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/frames/7/rendered?window=40,400,linear`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/bulk/7fe00010`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/bulk/00282000/1/00281201`, 'ok', 'retrieve'],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/bulkdata/7FE00010`, 'ok', 'retrieve'],
  // The PACS's own API and anything else beside DICOMweb
  ['GET', '/dicom-web/../system', 400],
  ['GET', '/dicom-web/%2e%2e/system', 400],
  ['GET', '/dicom-web/%2E%2E/patients', 400],
  ['GET', '/dicom-web/..%2fpatients', 400],
  ['GET', '/dicom-web/studies/..%2f..%2fpatients', 400],
  ['GET', '/dicom-web/studies/..\\..\\patients', 400],
  ['GET', '/dicom-web/studies/%5c', 400],
  ['GET', '/dicom-web/./studies', 400],
  ['GET', '/dicom-web/studies/./metadata', 400],
  ['GET', '/dicom-web/studies/..', 400],
  ['GET', '/dicom-web/studies/1..2', 404],
  ['GET', '/dicom-web/studies/.1.2', 404],
  ['GET', '/dicom-web//studies', 404],
  ['GET', '/dicom-web/studies/', 404],
  ['GET', '/dicom-web/', 404],
  ['GET', '/dicom-web', 404],
  ['GET', '/system', 404],
  ['GET', '/patients', 404],
  ['GET', '/dicom-web/patients', 404],
  ['GET', '/dicom-web/tools/find', 404],
  ['GET', '/dicom-web/servers', 404],
  ['GET', `/dicom-web/studies/${S}/archive`, 404],
  ['GET', `/dicom-web/studies/${'1.'.repeat(32)}1`, 404],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/frames/0`, 404],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/frames/1,,2`, 404],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/frames/x`, 404],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/bulk/../../x`, 400],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/bulk/zzzz`, 404],
  ['GET', `/dicom-web/studies/${S}/series/${R}/instances/${I}/bulk`, 404],
  ['GET', '/dicom-web/studies\x00', 400],
  ['GET', '/dicom-web/studies?PatientID=%00', 400],
  ['GET', '/dicom-web/stu dies', 400],
  // Methods: reading everywhere, STOW on the studies root and a study only
  ['POST', '/dicom-web/studies', 'ok', 'store'],
  ['POST', `/dicom-web/studies/${S}`, 'ok', 'store'],
  ['POST', '/dicom-web/studies?x=1', 400],
  ['POST', `/dicom-web/studies/${S}/series`, 405],
  ['POST', '/dicom-web/series', 405],
  ['POST', '/dicom-web/../tools/execute-script', 400],
  ['POST', '/dicom-web/tools/execute-script', 404],
  ['DELETE', `/dicom-web/studies/${S}`, 405],
  ['DELETE', '/dicom-web/studies', 405],
  ['PUT', `/dicom-web/studies/${S}`, 405],
  ['PATCH', '/dicom-web/studies', 405],
  ['OPTIONS', '/dicom-web/studies', 405],
  ['TRACE', '/dicom-web/studies', 405],
];

describe('classify: the DICOMweb allowlist', () => {
  it.each(TABLE)('%s %s → %s', (method, url, want, kind) => {
    const r = classify(method, url, { stow: true });
    if (want === 'ok') {
      expect(r).toMatchObject({ ok: true, kind });
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.status).toBe(want);
    }
  });

  it('forwards the path after the prefix and the query exactly as received', () => {
    expect(classify('GET', '/dicom-web/studies?PatientName=D%C3%B6e*&limit=5', { stow: false })).toEqual({
      ok: true,
      path: '/studies',
      query: '?PatientName=D%C3%B6e*&limit=5',
      kind: 'search',
    });
  });

  it('refuses STOW when the deployment does not store, and says which methods are allowed', () => {
    expect(classify('POST', '/dicom-web/studies', { stow: false })).toMatchObject({ ok: false, status: 405, allow: 'GET, HEAD' });
    expect(classify('DELETE', '/dicom-web/studies', { stow: true })).toMatchObject({ ok: false, status: 405, allow: 'GET, HEAD, POST' });
  });

  it('refuses over-long request targets', () => {
    const long = '/dicom-web/studies?PatientName=' + 'A'.repeat(MAX_URL_LENGTH);
    expect(classify('GET', long, { stow: false })).toMatchObject({ ok: false, status: 414 });
  });

  it('reads UIDs by the DICOM grammar', () => {
    expect(isUid('1.2.3')).toBe(true);
    expect(isUid('0.0')).toBe(true);
    expect(isUid('1.' + '2'.repeat(62))).toBe(true);
    for (const bad of ['', '.', '..', '1.', '.1', '1..2', '1.2a', '1/2', '1.' + '2'.repeat(63)]) expect(isUid(bad), bad).toBe(false);
  });
});
