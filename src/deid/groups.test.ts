import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { GROUPS_REMOVED_OUTSIDE_TABLE, KEPT_IN_DUMMY_ITEMS, KEPT_OUTSIDE_TABLE, removedOutsideTable } from './groups';
import { PROFILE_BY_TAG } from './profile';

describe('removedOutsideTable', () => {
  it('removes unlisted attributes of the patient, Exif/GPS, request, visit, specimen and label groups only', () => {
    for (const tag of ['00102201', '00160003', '00321031', '00380016', '00400560', '22000004', '0040A160']) expect(removedOutsideTable(tag), tag).toBe(true);
    for (const tag of ['00080060', '00180050', '00280010', '0020000D', '7FE00010', '00081115']) expect(removedOutsideTable(tag), tag).toBe(false);
  });

  it('keeps the listed attributes that say how to read the pixels or the report', () => {
    for (const tag of ['00102210', '00409096', '0040A040', '0040A043', '0040A170']) expect(removedOutsideTable(tag), tag).toBe(false);
    expect(removedOutsideTable('0040A160')).toBe(true);
    expect(removedOutsideTable('0040A160', true)).toBe(false); // Text Value in an SR content item being filled with dummies
  });

  it('keeps only attributes of those groups that the table does not list, named by their keyword', () => {
    const dictionary = dcmjs.data.DicomMetaDictionary.dictionary;
    for (const [tag, keyword] of [...KEPT_OUTSIDE_TABLE, ...KEPT_IN_DUMMY_ITEMS]) {
      expect(GROUPS_REMOVED_OUTSIDE_TABLE.has(parseInt(tag.slice(0, 4), 16)), keyword).toBe(true);
      expect(PROFILE_BY_TAG.has(tag), `${keyword} is a table row: the table decides`).toBe(false);
      expect(dictionary[`(${tag.slice(0, 4)},${tag.slice(4)})`]?.name, tag).toBe(keyword);
    }
  });
});
