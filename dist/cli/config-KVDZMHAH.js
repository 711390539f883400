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
} from "./chunk-3LVTSOGT.js";
import "./chunk-RESIGOG7.js";
import "./chunk-MFKD3NAJ.js";
import "./chunk-KCPTBOKU.js";
import "./chunk-FXDX66OE.js";
import "./chunk-KKVBZEI5.js";
import "./chunk-3H6YUQYG.js";
import "./chunk-F2LF7ULD.js";
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
