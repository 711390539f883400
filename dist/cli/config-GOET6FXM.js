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
} from "./chunk-FSTIJBZS.js";
import "./chunk-B2ULPLUB.js";
import "./chunk-MFKD3NAJ.js";
import "./chunk-F2LF7ULD.js";
import "./chunk-3YIMEJL5.js";
import "./chunk-4RV2TZW3.js";
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
