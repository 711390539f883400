import {
  DEFAULT_MAX_LOG_BYTES,
  GITHUB_API_VERSION,
  GitHubApiError,
  REVOKE_BATCH_SIZE,
  createGitHubClient,
  isGitHubCloud,
  nextLink,
  parseJob
} from "./chunk-55NDADC4.js";
import "./chunk-DOWIS3SJ.js";
import "./chunk-G4SCRPSU.js";
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
