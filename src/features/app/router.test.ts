import { describe, expect, it } from 'vitest';
import { studyUIDsFromLink, viewerLink } from './router';

describe('viewer links', () => {
  it('carry UIDs only, and the data source when it is not the default', () => {
    expect(viewerLink(['1.2', '3.4'], { seriesUID: '5.6', dataSource: 'pacs', isDefaultSource: true })).toBe(
      '/viewer?StudyInstanceUIDs=1.2&StudyInstanceUIDs=3.4&SeriesInstanceUID=5.6',
    );
    expect(viewerLink(['1.2'], { dataSource: 'research' })).toBe('/viewer?StudyInstanceUIDs=1.2&datasource=research');
  });

  it('read repeated and comma-separated study UIDs, without duplicates', () => {
    const search = new URLSearchParams('StudyInstanceUIDs=1.2,3.4&StudyInstanceUIDs=5.6&StudyInstanceUIDs=1.2&StudyInstanceUIDs=');
    expect(studyUIDsFromLink(search)).toEqual(['1.2', '3.4', '5.6']);
  });
});
