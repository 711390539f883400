import {
  require_picomatch
} from "./chunk-P4WQGK5Z.js";
import "./chunk-36WTAEXO.js";
export default require_picomatch();
