export { dcmjs } from '../../src/local/dcmjs.ts';
