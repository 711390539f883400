import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-D2ARDCAL.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-2UK4IBTI.js";
import "./chunk-IT3MCM5A.js";
import "./chunk-EBBTBHIT.js";
import "./chunk-I3AEDIGR.js";
import "./chunk-U4TGE65U.js";
import "./chunk-NM2V3NXJ.js";
import "./chunk-4WL4QE57.js";
import "./chunk-UB53VF2P.js";
export {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
};
