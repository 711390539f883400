import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-A67FQYER.js";
import "./chunk-AIRTLEJH.js";
import "./chunk-W57IYGYO.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-T2PBLHEF.js";
import "./chunk-CKACYC46.js";
import "./chunk-KGMFTVT7.js";
import "./chunk-GAVDEJJF.js";
import "./chunk-ALTSCR6P.js";
import "./chunk-4WL4QE57.js";
import "./chunk-VR2BHLAL.js";
import "./chunk-UB53VF2P.js";
export {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
};
