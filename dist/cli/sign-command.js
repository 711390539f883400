import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-ZK6SSTWJ.js";
import "./chunk-K35OZOST.js";
import "./chunk-JJMGT5KM.js";
import "./chunk-6J5ZSAU6.js";
import "./chunk-33HP3Y3B.js";
import "./chunk-5KXAOI33.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-MFKD3NAJ.js";
import "./chunk-F2LF7ULD.js";
import "./chunk-3YIMEJL5.js";
import "./chunk-4RV2TZW3.js";
import "./chunk-UB53VF2P.js";
export {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
};
