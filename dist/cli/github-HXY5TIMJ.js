import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);
import {
  DEFAULT_MAX_LOG_BYTES,
  GITHUB_API_VERSION,
  GitHubApiError,
  REVOKE_BATCH_SIZE,
  createGitHubClient,
  isGitHubCloud,
  nextLink,
  parseJob
} from "./chunk-UM2JW7MY.js";
import "./chunk-DFWBAOFM.js";
import "./chunk-4U2SRKOE.js";
import "./chunk-35VKYYE5.js";
export {
  DEFAULT_MAX_LOG_BYTES,
  GITHUB_API_VERSION,
  GitHubApiError,
  REVOKE_BATCH_SIZE,
  createGitHubClient,
  isGitHubCloud,
  nextLink,
  parseJob
};
