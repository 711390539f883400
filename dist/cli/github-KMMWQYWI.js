import {
  DEFAULT_MAX_LOG_BYTES,
  GITHUB_API_VERSION,
  GitHubApiError,
  REVOKE_BATCH_SIZE,
  createGitHubClient,
  isGitHubCloud,
  nextLink,
  parseJob
} from "./chunk-LTY6DN5U.js";
import "./chunk-IZ2XJCM3.js";
import "./chunk-RTIGXEMI.js";
import "./chunk-UB53VF2P.js";
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
