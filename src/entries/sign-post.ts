// Entry of `uses: org/jit-gpg@v1` post (action.yml → dist/sign/post.js, post-if: always()): wiring only.
import { post } from '../action/sign-post.ts';

await post();
