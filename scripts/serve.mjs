// Production server for the built viewer: the gateway (gateway/), serving dist/ and static DICOMweb trees and
// forwarding only DICOMweb to a PACS. `node scripts/serve.mjs --help` lists the options.
import { main } from '../gateway/cli.mjs';

await main(process.argv.slice(2));
