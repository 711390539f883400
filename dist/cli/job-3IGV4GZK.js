import {
  ModeError,
  failing,
  runScanJob,
  selectSource
} from "./chunk-G6BLNXXR.js";
import {
  FAIL_ON,
  REVOKE,
  SCAN_MODES
} from "./chunk-VEZQ5APL.js";
import "./chunk-KYVDA4CM.js";
import "./chunk-DCI73A6H.js";
import "./chunk-6YLAXRWA.js";
import "./chunk-RTIGXEMI.js";
import "./chunk-T5EDXOGP.js";
import "./chunk-XP3VH5XU.js";
import "./chunk-DYRF73IP.js";
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
