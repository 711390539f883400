import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
} from "./chunk-5RBXO7J2.js";
import "./chunk-G7YDGGFC.js";
import "./chunk-EEVXPQ6T.js";
import "./chunk-GGBLOXZB.js";
import "./chunk-TD757TII.js";
import "./chunk-NIQBKPZI.js";
import "./chunk-SXZQZ56Z.js";
export {
  PROVIDER_FLAGS,
  SIGN_USAGE,
  buildProvider,
  cliJwt,
  signCommand
};
