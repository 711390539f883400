import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  require_picomatch
} from "./chunk-OCLRRPSL.js";
import "./chunk-UB53VF2P.js";
export default require_picomatch();
