// Entry of `uses: org/jit-gpg@v1` main (action.yml → dist/sign/main.js): wiring only.
import { run } from '../action/sign.ts';

await run();
