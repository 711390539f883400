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
} from "./chunk-KYVDA4CM.js";
import "./chunk-DCI73A6H.js";
import "./chunk-6YLAXRWA.js";
import "./chunk-RTIGXEMI.js";
import "./chunk-T5EDXOGP.js";
import "./chunk-XP3VH5XU.js";
import "./chunk-DYRF73IP.js";
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
