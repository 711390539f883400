import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-VBRT3YGR.js";
import "./chunk-K35OZOST.js";
import "./chunk-J3R4D43P.js";
import "./chunk-ECGZ2IYO.js";
import "./chunk-33HP3Y3B.js";
import "./chunk-SH7GC7JU.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-MFKD3NAJ.js";
import "./chunk-F2LF7ULD.js";
import "./chunk-MBS5U2O4.js";
import "./chunk-5ZXRBWPS.js";
import "./chunk-UB53VF2P.js";
export {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
};
