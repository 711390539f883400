import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  ModeError,
  failing,
  runScanJob,
  selectSource
} from "./chunk-B7Q3TQ33.js";
import {
  FAIL_ON,
  REVOKE,
  SCAN_MODES
} from "./chunk-VEZQ5APL.js";
import "./chunk-PLWAGLTR.js";
import "./chunk-GGPU5B3R.js";
import "./chunk-RMPEWHWE.js";
import "./chunk-SZNTK2KL.js";
import "./chunk-O5WKHYZ2.js";
import "./chunk-7VVDTPKV.js";
import "./chunk-ZCEGYBFX.js";
import "./chunk-4U2SRKOE.js";
import "./chunk-35VKYYE5.js";
export {
  FAIL_ON,
  ModeError,
  REVOKE,
  SCAN_MODES,
  failing,
  runScanJob,
  selectSource
};
