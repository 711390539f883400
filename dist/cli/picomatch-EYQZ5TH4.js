import {
  require_picomatch
} from "./chunk-OCLRRPSL.js";
import "./chunk-UB53VF2P.js";
export default require_picomatch();
