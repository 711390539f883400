import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-MJORDEZH.js";
import "./chunk-IZ2XJCM3.js";
import "./chunk-JZO76TXC.js";
import "./chunk-4PPAEHMD.js";
import "./chunk-AM6LXS76.js";
import "./chunk-C6T3TIBE.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-6YLAXRWA.js";
import "./chunk-RTIGXEMI.js";
import "./chunk-T5EDXOGP.js";
import "./chunk-XP3VH5XU.js";
import "./chunk-UB53VF2P.js";
export {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
};
