import {
  DEFAULT_MAX_LOG_BYTES,
  GITHUB_API_VERSION,
  GitHubApiError,
  REVOKE_BATCH_SIZE,
  createGitHubClient,
  isGitHubCloud,
  nextLink,
  parseJob
} from "./chunk-PIBCNIXN.js";
import "./chunk-EU4TOOZL.js";
import "./chunk-XEQ32RNS.js";
import "./chunk-36WTAEXO.js";
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
