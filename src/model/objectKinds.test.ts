import { describe, expect, it } from 'vitest';
import type { DicomJson } from '../dicom/json';
import { instanceKind, kindFromModality, seriesKind } from './objectKinds';
import { instanceFromMetadata } from './parse';

const inst = (sopClass: string, extra: DicomJson = {}) =>
  instanceFromMetadata({ '00080018': { vr: 'UI', Value: ['1.2.3'] }, '00080016': { vr: 'UI', Value: [sopClass] }, ...extra });
const pixels: DicomJson = { '00280010': { vr: 'US', Value: [64] }, '00280011': { vr: 'US', Value: [64] } };

describe('object kinds', () => {
  it('names each storage class by what the viewer does with it (from PS3.6)', () => {
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.66.4', pixels))).toBe('seg'); // Segmentation: rows, yet not an image
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.481.3'))).toBe('rtstruct');
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.88.11'))).toBe('sr'); // Basic Text SR
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.88.34'))).toBe('sr'); // Comprehensive 3D SR
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.88.59'))).toBe('ko');
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.104.1'))).toBe('pdf');
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.104.2'))).toBe('cda');
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.9.1.1'))).toBe('waveform'); // 12-lead ECG
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.9.2.1'))).toBe('waveform'); // Hemodynamic
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.9.4.1'))).toBe('other'); // Basic Voice Audio
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.77.1.4.1', pixels))).toBe('video');
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.2', pixels))).toBe('image');
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.11.1'))).toBe('other'); // presentation state
  });

  it('takes a video transfer syntax as video whatever the class (an ultrasound clip in H.264)', () => {
    const us = inst('1.2.840.10008.5.1.4.1.1.3.1', { ...pixels, '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.4.102'] } });
    expect(instanceKind(us)).toBe('video');
    const jpeg = inst('1.2.840.10008.5.1.4.1.1.3.1', { ...pixels, '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.4.50'] } });
    expect(instanceKind(jpeg)).toBe('image');
  });

  it('knows a video without its transfer syntax by YBR_PARTIAL_420 (Orthanc metadata has no 00020010)', () => {
    const ybr420 = (pi: string) => ({ ...pixels, '00280004': { vr: 'CS', Value: [pi] }, '00280008': { vr: 'IS', Value: [50] } });
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.3.1', ybr420('YBR_PARTIAL_420')))).toBe('video');
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.3.1', ybr420('YBR_FULL_422')))).toBe('image'); // JPEG ultrasound
    expect(instanceKind(inst('1.2.840.10008.5.1.4.1.1.3.1', ybr420('RGB')))).toBe('image');
  });

  it('guesses from the modality before the metadata, and a series is its images when it has any', () => {
    expect(['SEG', 'rtstruct', 'SR', 'KO', 'DOC', 'ECG', 'PR', 'CT'].map(kindFromModality)).toEqual(['seg', 'rtstruct', 'sr', 'ko', 'pdf', 'waveform', 'other', undefined]);
    expect(seriesKind([inst('1.2.840.10008.5.1.4.1.1.88.22'), inst('1.2.840.10008.5.1.4.1.1.2', pixels)])).toBe('image');
    expect(seriesKind([inst('1.2.840.10008.5.1.4.1.1.11.1'), inst('1.2.840.10008.5.1.4.1.1.104.1')])).toBe('pdf');
    expect(seriesKind([inst('1.2.840.10008.5.1.4.1.1.11.1')])).toBe('other');
  });
});
