export { dcmjs } from '../../src/dicom/dcmjs.ts';
