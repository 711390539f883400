import {
  ConfigError,
  DEFAULT_CONFIG_NAME,
  KeyLines,
  MAX_CONFIG_BYTES,
  countGroups,
  fieldName,
  loadConfig,
  parseConfig,
  parseSize,
  regexErrorKind
} from "./chunk-SBEPWQ2C.js";
import "./chunk-2A5GDXFP.js";
import "./chunk-MFKD3NAJ.js";
import "./chunk-F2LF7ULD.js";
import "./chunk-MBS5U2O4.js";
import "./chunk-5ZXRBWPS.js";
import "./chunk-UB53VF2P.js";
export {
  ConfigError,
  DEFAULT_CONFIG_NAME,
  KeyLines,
  MAX_CONFIG_BYTES,
  countGroups,
  fieldName,
  loadConfig,
  parseConfig,
  parseSize,
  regexErrorKind
};
