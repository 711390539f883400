// Entry of `uses: org/jit-gpg/scan@v1` (scan/action.yml → dist/scan/main.js): wiring only.
import { run } from '../action/scan.ts';

await run();
