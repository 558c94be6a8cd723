import { describe, expect, it } from 'vitest';
import { LoadFaults } from './loadFaults';

const never = () => new Promise<never>(() => {});

describe('LoadFaults', () => {
  it('passes a load through untouched when nothing goes wrong', async () => {
    const faults = new LoadFaults();
    await expect(faults.watch('a', Promise.resolve(1))).resolves.toBe(1);
    await expect(faults.watch('a', Promise.reject(new Error('404')))).rejects.toThrow('404');
  });

  it('fails the loads of an image whose metadata provider threw, and remembers why', async () => {
    const faults = new LoadFaults();
    const a = faults.watch('a', never());
    const b = faults.watch('b', Promise.resolve('b'));
    faults.providerThrew('a', 'imagePlaneModule', new TypeError("Cannot read properties of undefined (reading 'includes')"));
    await expect(a).rejects.toThrow("the image's DICOM attributes could not be read (imagePlaneModule: Cannot read properties of undefined (reading 'includes'))");
    await expect(b).resolves.toBe('b');
    expect(faults.providerFault('a')).toMatch(/imagePlaneModule/);
    expect(faults.providerFault('b')).toBeUndefined();
  });

  it('lays an unclaimed rejection on the loads decoded but not settled, and on no other', async () => {
    const faults = new LoadFaults();
    const hung = faults.watch('hung', never());
    const waiting = faults.watch('waiting', never());
    faults.frameDecoded('hung');
    faults.frameDecoded('not-loading'); // a decode for no watched load is ignored
    expect(faults.unexplainedRejection(new Error('The image does not have a complete color palette'))).toBe(true);
    await expect(hung).rejects.toThrow('the image could not be prepared for display (The image does not have a complete color palette)');
    // Nothing left decoded: a later stray rejection is not this module's.
    expect(faults.unexplainedRejection(new Error('elsewhere'))).toBe(false);
    let settled = false;
    void waiting.catch(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
  });

  it('forgets a decoded load once it settles', async () => {
    const faults = new LoadFaults();
    let resolve!: (v: number) => void;
    const load = faults.watch('a', new Promise<number>((r) => (resolve = r)));
    faults.frameDecoded('a');
    resolve(7);
    await expect(load).resolves.toBe(7);
    expect(faults.unexplainedRejection(new Error('x'))).toBe(false);
  });
});
