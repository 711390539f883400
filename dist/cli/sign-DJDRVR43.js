import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-H7BVP6AV.js";
import "./chunk-GPHHHNVR.js";
import "./chunk-U7KNJAJX.js";
import "./chunk-DOVIJATE.js";
import "./chunk-33HP3Y3B.js";
import "./chunk-SDMQP42L.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-K35OZOST.js";
import "./chunk-MFKD3NAJ.js";
import "./chunk-KCPTBOKU.js";
import "./chunk-FXDX66OE.js";
import "./chunk-3H6YUQYG.js";
import "./chunk-F2LF7ULD.js";
import "./chunk-UB53VF2P.js";
export {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
};
