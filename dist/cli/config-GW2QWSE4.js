import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
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
} from "./chunk-PLWAGLTR.js";
import "./chunk-GGPU5B3R.js";
import "./chunk-RMPEWHWE.js";
import "./chunk-SZNTK2KL.js";
import "./chunk-O5WKHYZ2.js";
import "./chunk-7VVDTPKV.js";
import "./chunk-ZCEGYBFX.js";
import "./chunk-4U2SRKOE.js";
import "./chunk-35VKYYE5.js";
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
