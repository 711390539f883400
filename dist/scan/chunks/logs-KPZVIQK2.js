import "./chunk-EYG3MVME.js";

// src/scan/sources/logs.ts
var CONCURRENCY = 4;
var D = (b) => b >= 48 && b <= 57;
var num = (buf, from, len) => {
  let n = 0;
  for (let i = from; i < from + len; i++) n = n * 10 + (buf[i] - 48);
  return n;
};
function timestampPrefix(buf, at, end, out) {
  if (end - at < 20) return 0;
  const b = (i2) => buf[at + i2];
  if (!(D(b(0)) && D(b(1)) && D(b(2)) && D(b(3)) && b(4) === 45 && D(b(5)) && D(b(6)) && b(7) === 45) || !(D(b(8)) && D(b(9)) && b(10) === 84 && D(b(11)) && D(b(12)) && b(13) === 58 && D(b(14)) && D(b(15))) || !(b(16) === 58 && D(b(17)) && D(b(18)))) {
    return 0;
  }
  let i = 19;
  if (b(i) === 46) {
    i++;
    const start = i;
    while (at + i < end && i - start < 9 && D(b(i))) i++;
    if (i === start) return 0;
  }
  if (at + i >= end || b(i) !== 90) return 0;
  i++;
  if (at + i < end) {
    if (b(i) !== 32) return 0;
    i++;
  }
  const ms = Date.UTC(
    num(buf, at, 4),
    num(buf, at + 5, 2) - 1,
    num(buf, at + 8, 2),
    num(buf, at + 11, 2),
    num(buf, at + 14, 2),
    num(buf, at + 17, 2)
  );
  out.sec = Math.floor(ms / 1e3);
  return i;
}
function sameSecond(buf, at, last) {
  for (let i = 18; i >= 0; i--) if (buf[at + i] !== last[i]) return false;
  return true;
}
function prefixTail(buf, at, end) {
  let i = at + 19;
  if (buf[i] === 46) {
    const start = ++i;
    while (i < end && i - start < 9 && D(buf[i])) i++;
    if (i === start) return 0;
  }
  if (i >= end || buf[i] !== 90) return 0;
  i++;
  if (i < end) {
    if (buf[i] !== 32) return 0;
    i++;
  }
  return i - at;
}
var GROUP = Buffer.from("##[group]");
function prepareLog(raw, steps) {
  const span = steps.map((s) => ({
    from: s.startedAt === void 0 ? Number.NaN : Math.floor(s.startedAt / 1e3),
    to: s.completedAt === void 0 ? Number.POSITIVE_INFINITY : Math.floor(s.completedAt / 1e3)
  }));
  const encloses = (k, t) => span[k].from <= t && t <= span[k].to;
  const runLine = [];
  const runStep = [];
  const firstLine = /* @__PURE__ */ new Map();
  let read = raw.length >= 3 && raw[0] === 239 && raw[1] === 187 && raw[2] === 191 ? 3 : 0;
  let write = 0;
  let line = 0;
  let cur = -1;
  let assigned = -1;
  const ts = { sec: 0 };
  const last = Buffer.alloc(19);
  let lastCut = 0;
  while (read < raw.length) {
    line++;
    const nl = raw.indexOf(10, read);
    const end = nl < 0 ? raw.length : nl;
    let cut = 0;
    if (lastCut > 0 && end - read >= lastCut && sameSecond(raw, read, last)) {
      cut = prefixTail(raw, read, end);
    }
    if (cut === 0) {
      cut = timestampPrefix(raw, read, end, ts);
      if (cut > 0) raw.copy(last, 0, read, read + 19);
    }
    lastCut = cut;
    const contentStart = read + cut;
    if (cut > 0 && steps.length > 0) {
      const t = ts.sec;
      let next = -1;
      if (cur >= 0 && encloses(cur, t)) {
        next = cur;
        const opensGroup = contentStart + GROUP.length <= end && raw.compare(GROUP, 0, GROUP.length, contentStart, contentStart + GROUP.length) === 0;
        if (opensGroup && cur + 1 < span.length && encloses(cur + 1, t)) next = cur + 1;
      } else {
        for (let k = cur + 1; k < span.length && next < 0; k++) if (encloses(k, t)) next = k;
        for (let k = 0; k <= cur && next < 0; k++) if (encloses(k, t)) next = k;
      }
      if (next >= 0) cur = next;
      if (next !== assigned || runLine.length === 0) {
        runLine.push(line);
        runStep.push(next);
        assigned = next;
      }
      if (next >= 0 && !firstLine.has(next)) firstLine.set(next, line);
    }
    const stop = nl < 0 ? raw.length : nl + 1;
    if (write !== contentStart) raw.copyWithin(write, contentStart, stop);
    write += stop - contentStart;
    read = stop;
  }
  const lines = line;
  return {
    data: raw.subarray(0, write),
    lines,
    firstLine,
    stepOf(l) {
      let lo = 0;
      let hi = runLine.length;
      while (lo < hi) {
        const mid = lo + hi >> 1;
        if (runLine[mid] <= l) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? -1 : runStep[lo - 1];
    }
  };
}
function logPath(name) {
  const safe = name.replace(/[/\\\u0000-\u001f\u007f-\u009f]/g, "_");
  return `logs/${safe}.log`;
}
async function openLogsSource(opts) {
  const all = await opts.client.listRunJobs(opts.owner, opts.repo, opts.runId);
  const skipped = [];
  const scanned = [];
  const byPath = /* @__PURE__ */ new Map();
  for (const job of all) {
    if (job.status !== "completed") {
      skipped.push({
        job: job.name,
        why: `${job.status}: its log is not complete yet (the scanning job's own log never is)`
      });
      continue;
    }
    if (job.conclusion === "skipped" || job.steps.length === 0 && job.conclusion === "cancelled") {
      skipped.push({ job: job.name, why: `${job.conclusion}: it never ran, so it has no log` });
      continue;
    }
    let path = logPath(job.name);
    for (let n = 1; byPath.has(path); n++) path = logPath(`${job.name} (${job.id}${n > 1 ? `-${n}` : ""})`);
    const entry = { job, path };
    byPath.set(path, entry);
    scanned.push(entry);
  }
  for (const s of skipped) opts.onNotice?.(`job ${JSON.stringify(s.job)} not scanned: ${s.why}`);
  let failed = 0;
  const server = opts.serverUrl.replace(/\/+$/, "");
  const runUrl = `${server}/${encodeURIComponent(opts.owner)}/${encodeURIComponent(opts.repo)}/actions/runs/${opts.runId}`;
  async function fetchOne(entry) {
    try {
      const raw = await opts.client.downloadJobLog(opts.owner, opts.repo, entry.job.id, {
        ...opts.maxLogBytes ? { maxBytes: opts.maxLogBytes } : {}
      });
      const prepared = prepareLog(raw, entry.job.steps);
      entry.log = { stepOf: prepared.stepOf, firstLine: prepared.firstLine, lines: prepared.lines };
      return { path: entry.path, source: { kind: "bytes", data: prepared.data } };
    } catch (e) {
      failed++;
      opts.onWarning?.(`${entry.path}: log not scanned: ${e.message}`);
      return void 0;
    }
  }
  return {
    describe: `logs of ${scanned.length} completed job${scanned.length === 1 ? "" : "s"} of run ${opts.runId} in ${opts.owner}/${opts.repo}`,
    get failed() {
      return failed;
    },
    skipped,
    jobs: scanned.length,
    items: async function* () {
      const queue = scanned.slice();
      const running = /* @__PURE__ */ new Map();
      let next = 0;
      const start = () => {
        const entry = queue.shift();
        if (!entry) return;
        const id = next++;
        running.set(
          id,
          fetchOne(entry).then((item) => ({ id, item }))
        );
      };
      for (let i = 0; i < CONCURRENCY; i++) start();
      while (running.size > 0) {
        const { id, item } = await Promise.race(running.values());
        running.delete(id);
        start();
        if (item) yield item;
      }
    },
    locate(f) {
      const entry = byPath.get(f.file);
      if (!entry) return void 0;
      const { job } = entry;
      const loc = { job: job.name, jobId: job.id, url: `${runUrl}/job/${job.id}` };
      const k = entry.log?.stepOf(f.line) ?? -1;
      const step = k >= 0 ? job.steps[k] : void 0;
      if (step) {
        loc.step = step.name;
        loc.stepNumber = step.number;
        const first = entry.log?.firstLine.get(k) ?? f.line;
        loc.url += `#step:${step.number}:${f.line - first + 1}`;
      }
      return loc;
    }
  };
}
export {
  logPath,
  openLogsSource,
  prepareLog,
  timestampPrefix
};
