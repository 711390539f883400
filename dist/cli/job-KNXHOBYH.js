import {
  ModeError,
  failing,
  runScanJob,
  selectSource
} from "./chunk-WJVU5V53.js";
import {
  FAIL_ON,
  REVOKE,
  SCAN_MODES
} from "./chunk-VEZQ5APL.js";
import "./chunk-FSTIJBZS.js";
import "./chunk-B2ULPLUB.js";
import "./chunk-MFKD3NAJ.js";
import "./chunk-F2LF7ULD.js";
import "./chunk-3YIMEJL5.js";
import "./chunk-4RV2TZW3.js";
import "./chunk-UB53VF2P.js";
export {
  FAIL_ON,
  ModeError,
  REVOKE,
  SCAN_MODES,
  failing,
  runScanJob,
  selectSource
};
