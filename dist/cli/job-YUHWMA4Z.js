import {
  ModeError,
  failing,
  runScanJob,
  selectSource
} from "./chunk-LHUACXIS.js";
import {
  FAIL_ON,
  REVOKE,
  SCAN_MODES
} from "./chunk-VEZQ5APL.js";
import "./chunk-SBEPWQ2C.js";
import "./chunk-2A5GDXFP.js";
import "./chunk-MFKD3NAJ.js";
import "./chunk-F2LF7ULD.js";
import "./chunk-MBS5U2O4.js";
import "./chunk-5ZXRBWPS.js";
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
