import {
  ModeError,
  failing,
  runScanJob,
  selectSource
} from "./chunk-RI5D6DAS.js";
import {
  FAIL_ON,
  REVOKE,
  SCAN_MODES
} from "./chunk-VEZQ5APL.js";
import "./chunk-E4VQE7YX.js";
import "./chunk-2G7FZU2M.js";
import "./chunk-6YLAXRWA.js";
import "./chunk-RTIGXEMI.js";
import "./chunk-T5EDXOGP.js";
import "./chunk-XP3VH5XU.js";
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
