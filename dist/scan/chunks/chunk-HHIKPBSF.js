
// src/scan/regex/types.ts
function resumeAt(start, end, groups) {
  let last = -1;
  for (const g of groups) if (g && g[1] > last) last = g[1];
  if (last > start) return last;
  return end > start ? end : end + 1;
}

export {
  resumeAt
};
