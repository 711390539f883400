import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-BOU2A55M.js";
import "./chunk-4WTKR5AZ.js";
import "./chunk-YXVQAIAE.js";
import "./chunk-GUUQA6WL.js";
import "./chunk-DFWBAOFM.js";
import "./chunk-R3QNW4ED.js";
import "./chunk-INOH6OQL.js";
import "./chunk-RMPEWHWE.js";
import "./chunk-PNOZQHVZ.js";
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
