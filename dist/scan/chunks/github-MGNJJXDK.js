import {
  DEFAULT_MAX_LOG_BYTES,
  GITHUB_API_VERSION,
  GitHubApiError,
  REVOKE_BATCH_SIZE,
  createGitHubClient,
  isGitHubCloud,
  nextLink,
  parseJob
} from "./chunk-LULEYL2E.js";
import "./chunk-U52SDQQO.js";
import "./chunk-KSTOSIHQ.js";
import "./chunk-EYG3MVME.js";
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
