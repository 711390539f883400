import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-K32LZGNV.js";
import "./chunk-D5O2Y22K.js";
import "./chunk-L2RUOPIU.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-T2PBLHEF.js";
import "./chunk-SP7MKNUJ.js";
import "./chunk-ZP7JUS5G.js";
import "./chunk-GAVDEJJF.js";
import "./chunk-6VJUDJ2U.js";
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
