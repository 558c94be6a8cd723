import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/schema';
import type { DicomJson } from '../dicom/json';
import { DicomWebClient } from '../dicomweb/client';
import type { Measurement } from '../model/measurements';
import type { DisplaySet } from '../model/types';
import { useConfigStore } from '../store/config';
import { useMeasurementStore } from '../store/measurements';
import { useStudyStore } from '../store/study';
import { MeasurementBook } from '../imaging';
import { imageIndexOf, newestInstance, saveMeasurements } from './reports';

const instance = (sop: string, date: string, time: string, number: number): DicomJson => ({
  '00080018': { vr: 'UI', Value: [sop] },
  '00080023': { vr: 'DA', Value: [date] },
  '00080033': { vr: 'TM', Value: [time] },
  '00200013': { vr: 'IS', Value: [number] },
});

describe('measurement reports (app)', () => {
  beforeEach(() => {
    useMeasurementStore.getState().reset();
  });

  it('opens the newest instance of a report series: content date and time, then instance number', () => {
    const a = instance('a', '20240101', '120000', 1);
    const b = instance('b', '20240101', '1200001', 2);
    const c = instance('c', '20240101', '120000.5', 1);
    expect(getSop(newestInstance([a, b, c]))).toBe('b');
    expect(getSop(newestInstance([a, instance('d', '20240101', '120000', 3)]))).toBe('d');
    expect(getSop(newestInstance([instance('e', '20231231', '235959', 9), a]))).toBe('a');
    expect(newestInstance([])).toBeUndefined();
  });

  it("finds a measurement's image in its series as shown", () => {
    const frames = [
      { sopInstanceUID: 's1', frameNumber: 1 },
      { sopInstanceUID: 's2', frameNumber: 1 },
      { sopInstanceUID: 's2', frameNumber: 2 },
    ];
    useStudyStore.setState({
      series: { S: { summary: { studyInstanceUID: 'T', seriesInstanceUID: 'S', modality: 'CT', description: '', bodyPart: '' }, status: 'ready', displaySet: { frames } as unknown as DisplaySet } },
    });
    expect(imageIndexOf({ seriesInstanceUID: 'S', sopInstanceUID: 's2', frameNumber: 2 })).toBe(2);
    expect(imageIndexOf({ seriesInstanceUID: 'S', sopInstanceUID: 's3', frameNumber: 1 })).toBe(-1);
    expect(imageIndexOf({ seriesInstanceUID: 'X', sopInstanceUID: 's1', frameNumber: 1 })).toBe(-1);
  });

  it('keeps the measurements and says why when the data source cannot store', async () => {
    const config = parseConfig({ dataSources: [{ name: 'tree', kind: 'static', qidoRoot: '/tree', wadoRoot: '/tree' }] });
    useConfigStore.setState({ status: 'ready', config, clients: { tree: new DicomWebClient(config.dataSources[0]!) } });
    useStudyStore.setState({ dataSource: 'tree' });
    useMeasurementStore.setState({ items: [{ uid: 'm1', studyInstanceUID: 'T' } as Measurement] });
    await saveMeasurements(new MeasurementBook());
    expect(useMeasurementStore.getState().save).toEqual({ state: 'error', message: 'Data source "tree" cannot store reports (it is a static file tree).' });
    expect(useMeasurementStore.getState().items).toHaveLength(1);
  });
});

function getSop(d: DicomJson | undefined): string | undefined {
  return (d?.['00080018']?.Value as string[] | undefined)?.[0];
}
