import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-UAKXDKQC.js";
import "./chunk-RH4PWF7M.js";
import "./chunk-HT5IYR6R.js";
import "./chunk-H7NCXNZR.js";
import "./chunk-INOH6OQL.js";
import "./chunk-GUUQA6WL.js";
import "./chunk-DFWBAOFM.js";
import "./chunk-RMPEWHWE.js";
import "./chunk-SZNTK2KL.js";
import "./chunk-O5WKHYZ2.js";
import "./chunk-ZCEGYBFX.js";
import "./chunk-4U2SRKOE.js";
import "./chunk-35VKYYE5.js";
export {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
};
