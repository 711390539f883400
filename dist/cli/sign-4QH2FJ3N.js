import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-YTWDGFPJ.js";
import "./chunk-DR4AXBWY.js";
import "./chunk-YSBG27JX.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-T2PBLHEF.js";
import "./chunk-ZL2UMYHG.js";
import "./chunk-ZP7JUS5G.js";
import "./chunk-GAVDEJJF.js";
import "./chunk-IKXZRNM4.js";
import "./chunk-OIGD3Y3U.js";
import "./chunk-VR2BHLAL.js";
import "./chunk-UB53VF2P.js";
export {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
};
