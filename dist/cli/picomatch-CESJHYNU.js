import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  require_picomatch
} from "./chunk-GUUQA6WL.js";
import "./chunk-35VKYYE5.js";
export default require_picomatch();
