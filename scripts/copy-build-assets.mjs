// Part of `npm run build`: tsc emits only what it compiles; the CloudFront Function source is read
// at synth time next to its module, so it is copied beside the built one.
import { copyFileSync } from 'node:fs';

const asset = 'infra/cdk/constructs/station-path-rewrite.function.js';
copyFileSync(asset, `dist/${asset}`);
