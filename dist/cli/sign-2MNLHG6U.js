import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-AO2F5L3K.js";
import "./chunk-UOJKGP3P.js";
import "./chunk-5EVHHM2Y.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-T2PBLHEF.js";
import "./chunk-XUAGTMUA.js";
import "./chunk-ZP7JUS5G.js";
import "./chunk-GAVDEJJF.js";
import "./chunk-5NBVABYG.js";
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
