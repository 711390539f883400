import {
  ModeError,
  failing,
  runScanJob,
  selectSource
} from "./chunk-MFUGTOZS.js";
import {
  FAIL_ON,
  REVOKE,
  SCAN_MODES
} from "./chunk-VEZQ5APL.js";
import "./chunk-3LVTSOGT.js";
import "./chunk-RESIGOG7.js";
import "./chunk-MFKD3NAJ.js";
import "./chunk-KCPTBOKU.js";
import "./chunk-FXDX66OE.js";
import "./chunk-KKVBZEI5.js";
import "./chunk-3H6YUQYG.js";
import "./chunk-F2LF7ULD.js";
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
