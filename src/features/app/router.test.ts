import { describe, expect, it } from 'vitest';
import { uidsFromLink, viewerLink } from './router';

describe('viewer links', () => {
  it('carry UIDs only, and the data source when it is not the default', () => {
    expect(viewerLink(['1.2', '3.4'], { seriesUID: '5.6', dataSource: 'pacs', isDefaultSource: true })).toBe(
      '/viewer?StudyInstanceUIDs=1.2&StudyInstanceUIDs=3.4&SeriesInstanceUID=5.6',
    );
    expect(viewerLink(['1.2'], { dataSource: 'research' })).toBe('/viewer?StudyInstanceUIDs=1.2&datasource=research');
  });

  it('read repeated and comma-separated study UIDs, without duplicates', () => {
    const search = new URLSearchParams('StudyInstanceUIDs=1.2,3.4&StudyInstanceUIDs=5.6&StudyInstanceUIDs=1.2&StudyInstanceUIDs=');
    expect(uidsFromLink(search)).toEqual({ studyUIDs: ['1.2', '3.4', '5.6'], seriesUID: undefined, invalid: [] });
    expect(uidsFromLink(new URLSearchParams('StudyInstanceUIDs=1.2&SeriesInstanceUID=3.4'))).toEqual({ studyUIDs: ['1.2'], seriesUID: '3.4', invalid: [] });
  });

  it('refuse the whole link when a study or series UID is not a DICOM UID, so nothing is requested with it', () => {
    const long = '1.'.repeat(40) + '1';
    for (const [query, bad] of [
      ['StudyInstanceUIDs=..', '..'],
      ['StudyInstanceUIDs=%2e%2e', '..'],
      ['StudyInstanceUIDs=.', '.'],
      ['StudyInstanceUIDs=a/b', 'a/b'],
      ['StudyInstanceUIDs=1.2%2F..%2F..%2Fseries', '1.2/../../series'],
      ['StudyInstanceUIDs=1.2\\3', '1.2\\3'],
      ['StudyInstanceUIDs=1.2%00', '1.2\0'],
      [`StudyInstanceUIDs=${long}`, long],
      ['StudyInstanceUIDs=1.2,..,3.4', '..'],
      ['StudyInstanceUIDs=1.2&SeriesInstanceUID=..', '..'],
      ['StudyInstanceUIDs=1.2&SeriesInstanceUID=3.4%2F5', '3.4/5'],
    ]) {
      expect(uidsFromLink(new URLSearchParams(query)), query).toEqual({ studyUIDs: [], invalid: [bad] });
    }
  });

  it('name no study when StudyInstanceUIDs is empty or missing (the viewer says so)', () => {
    for (const query of ['', 'StudyInstanceUIDs=', 'StudyInstanceUIDs=,%20,']) {
      expect(uidsFromLink(new URLSearchParams(query))).toEqual({ studyUIDs: [], seriesUID: undefined, invalid: [] });
    }
  });
});
