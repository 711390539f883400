
// src/scan/types.ts
var SCAN_MODES = ["auto", "worktree", "diff", "history", "logs"];
var FAIL_ON = ["any", "validated", "none"];
var REVOKE = ["none", "github"];
function incompleteItems(stats) {
  return stats.unreadable + stats.failed + (stats.missingObjects ?? 0) + (stats.truncated ?? 0);
}
function policySkips(stats) {
  const n = (count, one, many) => count > 0 ? [`${count} ${count === 1 ? one : many}`] : [];
  return [
    ...n(stats.skippedBinary, "binary file", "binary files"),
    ...n(stats.skippedLarge, "file over the size limit", "files over the size limit"),
    ...n(
      stats.skippedArchive ?? 0,
      "archive item over a limit or unreadable",
      "archive items over a limit or unreadable"
    ),
    ...n(stats.skippedSpecial ?? 0, "FIFO, socket or device", "FIFOs, sockets or devices"),
    ...n(stats.skippedSymlinks ?? 0, "symlink (not followed)", "symlinks (not followed)")
  ];
}

export {
  SCAN_MODES,
  FAIL_ON,
  REVOKE,
  incompleteItems,
  policySkips
};
