// Added by scripts/build-native.mjs to the `re2` addon's sources: the engine's phases 1 and 2 (src/scan/engine.ts,
// collect()) and the decoder's first pass (src/scan/decode.ts, findRuns()) off the JavaScript thread. A Collector is
// built from the engine's tables and its rules' sources; it runs batches of windows on a thread of its own and
// reports, per window, the candidate matches and the base64/hex runs exactly as the JavaScript would have found
// them: the keyword automaton's hits, each rule's merged windows, RE2 on each window, the same resume point after
// each match. Rules compile on first use, with the addon's own translation and options (new.cc) into the
// process-wide table (re2-shared.h), so the engine's RE2 objects and the collector share each program. A thread with
// no V8 isolate starts in microseconds, where a scan worker boots Node and compiles the engine again
// (src/scan/collect-thread.ts says how the JavaScript thread shares the work with it).
//
// Output per window: nc, nc x (rule, matchStart, matchEnd, secretStart, secretEnd), nr, nr x (start, end, padded
// end negated when all hex), offsets relative to the window.
#include "./collector.h"
#include "./wrapped_re2.h"
#include "./pattern.h"
#include "./re2-shared.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <thread>
#include <unordered_map>
#include <cstring>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <string>
#include <vector>

namespace
{
	// A rule: its JavaScript source and flags, compiled on first use by whichever thread needs it first.
	struct CompiledRuleRef
	{
		std::string source;
		bool caseInsensitive = false;
		int group = 1;
		int window = 0;
		mutable std::once_flag once;
		mutable std::shared_ptr<const re2::RE2> re;
		mutable bool nonWordBoundary = false;
		mutable int groups = 0;

		// As WrappedRE2::New compiles `new RE2(source, 'gd' + (i ? 'i' : ''))`: the same program, from the same table.
		bool compile() const
		{
			std::call_once(once, [this] {
				std::vector<char> buffer;
				const char *data = source.data();
				size_t size = source.size();
				if (translateRegExp(data, size, false, buffer))
				{
					data = &buffer[0];
					size = buffer.size() - 1;
				}
				re2::RE2::Options options;
				options.set_case_sensitive(!caseInsensitive);
				options.set_one_line(true);
				options.set_dot_nl(false);
				options.set_log_errors(false);
				const re2::StringPiece pattern(data, size);
				auto compiled = sharedRE2(pattern, options);
				if (!compiled->ok())
					return;
				nonWordBoundary = pattern.find("\\B") != re2::StringPiece::npos;
				groups = compiled->NumberOfCapturingGroups();
				re = std::move(compiled);
			});
			return re != nullptr;
		}
	};

	struct Tables
	{
		uint8_t classOf[256];
		int32_t classes = 0;
		std::vector<int32_t> delta, outIds, outStart, keywordLengths, ownerStart, keywordOwners, alwaysRules;
		std::vector<CompiledRuleRef> rules;
		explicit Tables(size_t n) : rules(n) {}
		int32_t lead = 0, margin = 0;
		// findRuns' shortest run; 0: no decoding.
		int32_t need = 0;
		uint8_t runClass[256];
	};

	// WrappedRE2::findMatch, on the shared program: RE2 searches bytes, so \B can match inside a character.
	bool findMatch(const CompiledRuleRef &rule, const re2::StringPiece &text, size_t start, size_t end,
				   re2::StringPiece *groups, int count)
	{
		if (!rule.nonWordBoundary)
			return rule.re->Match(text, start, end, re2::RE2::UNANCHORED, groups, count);
		while (start <= end && rule.re->Match(text, start, end, re2::RE2::UNANCHORED, groups, count))
		{
			const size_t position = groups->data() - text.data();
			if (groups->size() || position == end || (text[position] & 0xC0) != 0x80)
				return true;
			start = position + 1;
		}
		return false;
	}

	struct Scratch
	{
		std::vector<int32_t> hits, runs, wStart, wEnd, touched;
		std::vector<re2::StringPiece> groups;
	};

	int64_t lastNewline(const uint8_t *view, int64_t from)
	{
		const void *p = memrchr(view, 10, static_cast<size_t>(from + 1));
		return p ? static_cast<const uint8_t *>(p) - view : -1;
	}

	int64_t nextNewline(const uint8_t *view, int64_t len, int64_t from)
	{
		if (from >= len)
			return -1;
		const void *p = memchr(view + from, 10, static_cast<size_t>(len - from));
		return p ? static_cast<const uint8_t *>(p) - view : -1;
	}

	// engine.ts runRule(): every match of rule r in view[from, to), each searched from where the last one's groups end.
	bool runRule(const Tables &t, Scratch &s, const uint8_t *view, int32_t r, int32_t from, int32_t to,
				 std::vector<int32_t> &out, int32_t &count)
	{
		const CompiledRuleRef &rule = t.rules[r];
		if (!rule.compile())
			return false;
		const int ng = rule.groups;
		s.groups.assign(ng + 1, re2::StringPiece());
		const re2::StringPiece text(reinterpret_cast<const char *>(view) + from, static_cast<size_t>(to - from));
		const size_t len = text.size();
		size_t pos = 0;
		while (pos <= len)
		{
			if (!findMatch(rule, text, pos, len, s.groups.data(), ng + 1))
				break;
			const int64_t start = s.groups[0].data() - text.data();
			const int64_t end = start + static_cast<int64_t>(s.groups[0].size());
			int64_t last = -1;
			for (int g = 1; g <= ng; g++)
			{
				if (!s.groups[g].data())
					continue;
				const int64_t ge = s.groups[g].data() - text.data() + static_cast<int64_t>(s.groups[g].size());
				if (ge > last)
					last = ge;
			}
			const int64_t next = last > start ? last : (end > start ? end : end + 1);
			if (end != start)
			{
				int64_t ss = start, se = end;
				bool keep = true;
				if (ng >= 1)
				{
					const int gi = rule.group;
					if (gi >= 1 && gi <= ng && s.groups[gi].data())
					{
						ss = s.groups[gi].data() - text.data();
						se = ss + static_cast<int64_t>(s.groups[gi].size());
					}
					else
						keep = false;
				}
				if (keep && se > ss)
				{
					out.insert(out.end(), {r, static_cast<int32_t>(from + start), static_cast<int32_t>(from + end),
										   static_cast<int32_t>(from + ss), static_cast<int32_t>(from + se)});
					count++;
				}
			}
			pos = static_cast<size_t>(next);
		}
		return true;
	}

	// engine.ts keywordWindows() and keywordPass(), then the rules without keywords over the whole window.
	bool collectWindow(const Tables &t, Scratch &s, const uint8_t *view, int32_t len, std::vector<int32_t> &out)
	{
		const size_t countAt = out.size();
		out.push_back(0);
		int32_t count = 0;
		s.hits.clear();
		int32_t state = 0;
		for (int32_t i = 0; i < len; i++)
		{
			const int32_t next = t.delta[state + t.classOf[view[i]]];
			if (next < 0)
			{
				state = -next;
				s.hits.push_back(i + 1);
				s.hits.push_back(state / t.classes);
			}
			else
				state = next;
		}
		s.runs.clear();
		int32_t nTouched = 0;
		int64_t lineStart = 1, lineEnd = 0;
		for (size_t h = 0; h < s.hits.size(); h += 2)
		{
			const int32_t he = s.hits[h];
			const int32_t st = s.hits[h + 1];
			for (int32_t k = t.outStart[st]; k < t.outStart[st + 1]; k++)
			{
				const int32_t kw = t.outIds[k];
				const int32_t hs = he - t.keywordLengths[kw];
				if (hs < 0)
					continue; // never from the engine's own tables (a keyword ends where its bytes were read): bounds
				if (hs < lineStart || hs >= lineEnd)
				{
					lineStart = hs == 0 ? 0 : lastNewline(view, hs - 1) + 1;
					const int64_t nl = nextNewline(view, len, he);
					lineEnd = nl < 0 ? len : nl;
				}
				for (int32_t j = t.ownerStart[kw]; j < t.ownerStart[kw + 1]; j++)
				{
					const int32_t r = t.keywordOwners[j];
					const int32_t extra = t.rules[r].window;
					int64_t ws = static_cast<int64_t>(hs) - t.lead;
					if (ws < lineStart)
						ws = lineStart;
					while ((view[ws] & 0xC0) == 0x80 && ws < hs)
						ws++;
					int64_t we;
					if (extra == 0)
					{
						we = static_cast<int64_t>(he) + t.margin;
						if (we > lineEnd)
							we = lineEnd;
					}
					else
					{
						const int64_t p = static_cast<int64_t>(he) + extra;
						if (p >= len)
							we = len;
						else if (p <= lineEnd)
						{
							we = static_cast<int64_t>(he) + (extra > t.margin ? extra : t.margin);
							if (we > lineEnd)
								we = lineEnd;
						}
						else
						{
							const int64_t nl = nextNewline(view, len, p);
							we = nl < 0 ? len : nl;
						}
					}
					const int32_t pend = s.wEnd[r];
					if (pend >= 0 && ws <= pend)
					{
						if (we > pend)
							s.wEnd[r] = static_cast<int32_t>(we);
						if (ws < s.wStart[r])
							s.wStart[r] = static_cast<int32_t>(ws);
					}
					else
					{
						if (pend >= 0)
							s.runs.insert(s.runs.end(), {r, s.wStart[r], pend});
						else
							s.touched[nTouched++] = r;
						s.wStart[r] = static_cast<int32_t>(ws);
						s.wEnd[r] = static_cast<int32_t>(we);
					}
				}
			}
		}
		for (int32_t k = 0; k < nTouched; k++)
		{
			const int32_t r = s.touched[k];
			s.runs.insert(s.runs.end(), {r, s.wStart[r], s.wEnd[r]});
			s.wEnd[r] = -1;
		}
		for (size_t i = 0; i < s.runs.size(); i += 3)
			if (!runRule(t, s, view, s.runs[i], s.runs[i + 1], s.runs[i + 2], out, count))
				return false;
		for (int32_t r : t.alwaysRules)
			if (!runRule(t, s, view, r, 0, len, out, count))
				return false;
		out[countAt] = count;
		return true;
	}

	// decode.ts findRuns(), to the end of the window: maximal runs of base64 characters of at least `need`, with up
	// to two `=` of padding.
	void findRuns(const Tables &t, const uint8_t *data, int32_t n, std::vector<int32_t> &out)
	{
		const size_t countAt = out.size();
		out.push_back(0);
		int32_t found = 0;
		const int32_t need = t.need;
		int64_t i = 0;
		while (i + need <= n)
		{
			const int64_t k = i + need - 1;
			uint8_t c = t.runClass[data[k]];
			if (c == 0)
			{
				i = k + 1;
				continue;
			}
			uint8_t all = c;
			int64_t q = k - 1;
			while (q >= i)
			{
				c = t.runClass[data[q]];
				if (c == 0)
					break;
				all &= c;
				q--;
			}
			if (q >= i)
			{
				i = q + 1;
				continue;
			}
			int64_t j = k + 1;
			while (j < n)
			{
				c = t.runClass[data[j]];
				if (c == 0)
					break;
				all &= c;
				j++;
			}
			int64_t end = j;
			while (end < n && end - j < 2 && data[end] == 0x3D)
				end++;
			out.insert(out.end(), {static_cast<int32_t>(i), static_cast<int32_t>(j),
								   static_cast<int32_t>(all == 3 ? -end : end)});
			found++;
			i = end;
		}
		out[countAt] = found;
	}

	// False when a rule does not compile (the engine then scans the batch itself, and meets the same error).
	bool collectAll(const Tables &t, const uint8_t *data, const std::vector<int32_t> &windows, std::vector<int32_t> &out)
	{
		Scratch s;
		s.wStart.assign(t.rules.size(), 0);
		s.wEnd.assign(t.rules.size(), -1);
		s.touched.assign(t.rules.size(), 0);
		for (size_t w = 0; w + 1 < windows.size(); w += 2)
		{
			const uint8_t *view = data + windows[w];
			const int32_t len = windows[w + 1] - windows[w];
			if (!collectWindow(t, s, view, len, out))
				return false;
			if (t.need > 0)
				findRuns(t, view, len, out);
			else
				out.push_back(0);
		}
		return true;
	}

	// A copy of an Int32Array's values; false when the value is none.
	bool int32Values(v8::Local<v8::Value> value, std::vector<int32_t> &into)
	{
		if (!value->IsInt32Array())
			return false;
		auto array = value.As<v8::Int32Array>();
		into.resize(array->Length());
		if (!into.empty())
			array->CopyContents(into.data(), into.size() * sizeof(int32_t));
		return true;
	}

	bool int32Array(v8::Local<v8::Object> spec, const char *name, std::vector<int32_t> &into)
	{
		return int32Values(Nan::Get(spec, Nan::New(name).ToLocalChecked()).ToLocalChecked(), into);
	}

	int32_t intField(v8::Local<v8::Object> spec, const char *name)
	{
		auto value = Nan::Get(spec, Nan::New(name).ToLocalChecked()).ToLocalChecked();
		return value->IsInt32() ? Nan::To<int32_t>(value).FromJust() : -1;
	}

	// The windows argument: (start, end) pairs inside data; false when one is not.
	bool windowList(v8::Local<v8::Value> value, size_t dataLength, std::vector<int32_t> &into)
	{
		if (!int32Values(value, into) || into.size() % 2 != 0)
			return false;
		for (size_t i = 0; i < into.size(); i += 2)
			if (into[i] < 0 || into[i] > into[i + 1] || static_cast<size_t>(into[i + 1]) > dataLength)
				return false;
		return true;
	}

	v8::Local<v8::Int32Array> toInt32Array(const std::vector<int32_t> &values)
	{
		auto buffer = v8::ArrayBuffer::New(v8::Isolate::GetCurrent(), values.size() * sizeof(int32_t));
		if (!values.empty())
			memcpy(buffer->Data(), values.data(), values.size() * sizeof(int32_t));
		return v8::Int32Array::New(buffer, 0, values.size());
	}

	// One batch: windows of bytes the JavaScript thread owns (kept alive here until the batch is taken).
	struct Job
	{
		std::shared_ptr<v8::BackingStore> keep;
		const uint8_t *data = nullptr;
		std::vector<int32_t> windows, out;
		// QUEUED, then RUNNING (claimed by the collector's thread or stolen by the JavaScript thread), then DONE or
		// FAILED (a rule did not compile).
		std::atomic<int> state{0};
	};
	enum JobState
	{
		QUEUED,
		RUNNING,
		DONE,
		FAILED
	};

	// The collector's thread and its queue. Shared by the Collector object and the thread, so either may go first:
	// the thread is detached and ends when the object is collected (or the process ends with it asleep).
	struct Lane
	{
		std::shared_ptr<const Tables> tables;
		std::mutex mutex;
		std::condition_variable wake, settled;
		std::deque<std::shared_ptr<Job>> queue;
		bool stop = false;
		bool started = false;

		static void run(std::shared_ptr<Lane> lane)
		{
			pthread_setname_np(pthread_self(), "jit-gpg-collect"); // what profilers and `top -H` show
			for (;;)
			{
				std::shared_ptr<Job> job;
				{
					std::unique_lock<std::mutex> lock(lane->mutex);
					lane->wake.wait(lock, [&] { return lane->stop || !lane->queue.empty(); });
					if (lane->queue.empty())
						return;
					job = std::move(lane->queue.front());
					lane->queue.pop_front();
				}
				int queued = QUEUED;
				if (!job->state.compare_exchange_strong(queued, RUNNING))
					continue; // stolen by the JavaScript thread
				lane->finish(*job, collectAll(*lane->tables, job->data, job->windows, job->out));
			}
		}

		void finish(Job &job, bool ok)
		{
			{
				std::lock_guard<std::mutex> lock(mutex);
				job.state.store(ok ? DONE : FAILED);
			}
			settled.notify_all();
		}
	};

	class Collector : public Nan::ObjectWrap
	{
	public:
		std::shared_ptr<Lane> lane = std::make_shared<Lane>();
		std::unordered_map<int32_t, std::shared_ptr<Job>> jobs;
		int32_t nextId = 1;

		~Collector() override
		{
			{
				std::lock_guard<std::mutex> lock(lane->mutex);
				lane->stop = true;
				for (auto &job : lane->queue)
				{
					int queued = QUEUED;
					job->state.compare_exchange_strong(queued, FAILED);
				}
				lane->queue.clear();
			}
			lane->wake.notify_all();
		}

		static NAN_METHOD(New);
		static NAN_METHOD(Submit);
		static NAN_METHOD(State);
		static NAN_METHOD(Steal);
		static NAN_METHOD(Take);
		static NAN_METHOD(CollectSync);

		std::shared_ptr<Job> job(const Nan::FunctionCallbackInfo<v8::Value> &info)
		{
			if (info.Length() < 1 || !info[0]->IsInt32())
				return nullptr;
			auto found = jobs.find(Nan::To<int32_t>(info[0]).FromJust());
			return found == jobs.end() ? nullptr : found->second;
		}

		// The job's results as an Int32Array (it is forgotten), or a TypeError for one that failed.
		void settle(const Nan::FunctionCallbackInfo<v8::Value> &info, int32_t id, Job &job)
		{
			const int state = job.state.load();
			if (state == FAILED)
			{
				jobs.erase(id);
				return Nan::ThrowError("Collector: a rule does not compile");
			}
			info.GetReturnValue().Set(toInt32Array(job.out));
			jobs.erase(id);
		}
	};

	// The class in this isolate (one per thread that loads the addon), to tell a Collector from another wrapped object.
	thread_local Nan::Persistent<v8::FunctionTemplate> *collectorTemplate = nullptr;

	Collector *self(const Nan::FunctionCallbackInfo<v8::Value> &info)
	{
		if (!collectorTemplate || !Nan::New(*collectorTemplate)->HasInstance(info.This()))
			return nullptr;
		return Nan::ObjectWrap::Unwrap<Collector>(info.This());
	}

	NAN_METHOD(Collector::New)
	{
		if (!info.IsConstructCall() || info.Length() < 1 || !info[0]->IsObject())
			return Nan::ThrowTypeError("Collector: new Collector(tables)");
		auto spec = info[0].As<v8::Object>();
		auto sources = Nan::Get(spec, Nan::New("sources").ToLocalChecked()).ToLocalChecked();
		if (!sources->IsArray())
			return Nan::ThrowTypeError("Collector: malformed tables");
		auto list = sources.As<v8::Array>();
		const size_t n = list->Length();
		auto t = std::make_shared<Tables>(n);
		std::vector<int32_t> classOf, groups, windows, caseInsensitive;
		const bool arrays = int32Array(spec, "classOf", classOf) && int32Array(spec, "delta", t->delta) &&
							int32Array(spec, "outIds", t->outIds) && int32Array(spec, "outStart", t->outStart) &&
							int32Array(spec, "keywordLengths", t->keywordLengths) &&
							int32Array(spec, "ownerStart", t->ownerStart) &&
							int32Array(spec, "keywordOwners", t->keywordOwners) &&
							int32Array(spec, "alwaysRules", t->alwaysRules) && int32Array(spec, "groups", groups) &&
							int32Array(spec, "windows", windows) && int32Array(spec, "caseInsensitive", caseInsensitive);
		t->classes = intField(spec, "classes");
		t->lead = intField(spec, "lead");
		t->margin = intField(spec, "margin");
		t->need = intField(spec, "need");
		if (!arrays || classOf.size() != 256 || t->classes <= 0 || t->lead < 0 || t->margin < 0 || t->need < 0)
			return Nan::ThrowTypeError("Collector: malformed tables");
		if (groups.size() != n || windows.size() != n || caseInsensitive.size() != n)
			return Nan::ThrowTypeError("Collector: one group, window and case flag per rule");
		// Every index the loops follow stays inside its table: the tables come from JavaScript.
		const size_t states = t->delta.size() / t->classes;
		bool ok = t->delta.size() % t->classes == 0 && t->outStart.size() == states + 1 &&
				  t->ownerStart.size() == t->keywordLengths.size() + 1;
		for (size_t i = 0; ok && i < 256; i++)
			ok = classOf[i] >= 0 && classOf[i] < t->classes;
		for (size_t i = 0; ok && i < t->delta.size(); i++)
		{
			const int64_t v = t->delta[i] < 0 ? -static_cast<int64_t>(t->delta[i]) : t->delta[i];
			ok = v % t->classes == 0 && static_cast<size_t>(v) < t->delta.size();
		}
		for (size_t i = 0; ok && i + 1 < t->outStart.size(); i++)
			ok = t->outStart[i] >= 0 && t->outStart[i] <= t->outStart[i + 1] &&
				 static_cast<size_t>(t->outStart[i + 1]) <= t->outIds.size();
		for (size_t i = 0; ok && i < t->outIds.size(); i++)
			ok = t->outIds[i] >= 0 && static_cast<size_t>(t->outIds[i]) < t->keywordLengths.size();
		for (size_t i = 0; ok && i + 1 < t->ownerStart.size(); i++)
			ok = t->ownerStart[i] >= 0 && t->ownerStart[i] <= t->ownerStart[i + 1] &&
				 static_cast<size_t>(t->ownerStart[i + 1]) <= t->keywordOwners.size();
		for (size_t i = 0; ok && i < t->keywordOwners.size(); i++)
			ok = t->keywordOwners[i] >= 0 && static_cast<size_t>(t->keywordOwners[i]) < n;
		for (size_t i = 0; ok && i < t->alwaysRules.size(); i++)
			ok = t->alwaysRules[i] >= 0 && static_cast<size_t>(t->alwaysRules[i]) < n;
		for (size_t i = 0; ok && i < t->keywordLengths.size(); i++)
			ok = t->keywordLengths[i] > 0;
		if (!ok)
			return Nan::ThrowTypeError("Collector: malformed tables");
		for (size_t i = 0; i < 256; i++)
			t->classOf[i] = static_cast<uint8_t>(classOf[i]);
		for (size_t i = 0; i < n; i++)
		{
			auto item = Nan::Get(list, i).ToLocalChecked();
			if (!item->IsString())
				return Nan::ThrowTypeError("Collector: every rule's source must be a string");
			Nan::Utf8String source(item);
			auto &rule = t->rules[i];
			rule.source.assign(*source, source.length());
			rule.caseInsensitive = caseInsensitive[i] != 0;
			rule.group = groups[i];
			rule.window = windows[i] < 0 ? 0 : windows[i];
		}
		// decode.ts CLS: 3 a hex digit (also base64), 1 another base64 character, 0 the rest.
		const std::string base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
		const std::string hex = "0123456789abcdefABCDEF";
		for (int b = 0; b < 256; b++)
			t->runClass[b] = 0;
		for (char c : base64)
			t->runClass[static_cast<uint8_t>(c)] = 1;
		for (char c : hex)
			t->runClass[static_cast<uint8_t>(c)] = 3;
		auto collector = new Collector();
		collector->lane->tables = std::move(t);
		collector->Wrap(info.This());
		info.GetReturnValue().Set(info.This());
	}

	// submit(data, windows): a job id. The collector's thread takes jobs in order; the bytes must stay unchanged until
	// the job is taken (the arena is the JavaScript thread's).
	NAN_METHOD(Collector::Submit)
	{
		auto collector = self(info);
		if (!collector || info.Length() < 2 || !info[0]->IsArrayBufferView())
			return Nan::ThrowTypeError("Collector: submit(data, windows)");
		auto view = info[0].As<v8::ArrayBufferView>();
		auto job = std::make_shared<Job>();
		job->keep = view->Buffer()->GetBackingStore();
		job->data = static_cast<const uint8_t *>(job->keep->Data()) + view->ByteOffset();
		if (!windowList(info[1], view->ByteLength(), job->windows))
			return Nan::ThrowTypeError("Collector: windows must be (start, end) pairs inside the data");
		const int32_t id = collector->nextId++;
		if (collector->nextId < 0)
			collector->nextId = 1;
		collector->jobs[id] = job;
		auto &lane = collector->lane;
		{
			std::lock_guard<std::mutex> lock(lane->mutex);
			lane->queue.push_back(job);
			if (!lane->started)
			{
				lane->started = true;
				std::thread(Lane::run, lane).detach();
			}
		}
		lane->wake.notify_one();
		info.GetReturnValue().Set(id);
	}

	// state(id): 0 queued, 1 running, 2 done, 3 failed; -1 for no such job.
	NAN_METHOD(Collector::State)
	{
		auto collector = self(info);
		auto job = collector ? collector->job(info) : nullptr;
		info.GetReturnValue().Set(job ? job->state.load() : -1);
	}

	// steal(id): a queued job collected here and now, its results; null when the collector's thread has it already.
	NAN_METHOD(Collector::Steal)
	{
		auto collector = self(info);
		auto job = collector ? collector->job(info) : nullptr;
		if (!job)
			return Nan::ThrowTypeError("Collector: no such job");
		int queued = QUEUED;
		if (!job->state.compare_exchange_strong(queued, RUNNING))
			return info.GetReturnValue().SetNull();
		collector->lane->finish(*job, collectAll(*collector->lane->tables, job->data, job->windows, job->out));
		collector->settle(info, Nan::To<int32_t>(info[0]).FromJust(), *job);
	}

	// take(id, wait): a job's results once done; null while it is not (unless `wait`: then this thread waits for it).
	NAN_METHOD(Collector::Take)
	{
		auto collector = self(info);
		auto job = collector ? collector->job(info) : nullptr;
		if (!job)
			return Nan::ThrowTypeError("Collector: no such job");
		if (job->state.load() < DONE)
		{
			if (info.Length() < 2 || !info[1]->IsTrue())
				return info.GetReturnValue().SetNull();
			auto &lane = *collector->lane;
			std::unique_lock<std::mutex> lock(lane.mutex);
			lane.settled.wait(lock, [&] { return job->state.load() >= DONE; });
		}
		collector->settle(info, Nan::To<int32_t>(info[0]).FromJust(), *job);
	}

	// collectSync(data, windows): the same results, on this thread, for no job.
	NAN_METHOD(Collector::CollectSync)
	{
		auto collector = self(info);
		auto bytes = getBinaryData(info.Length() > 0 ? info[0] : Nan::Undefined().As<v8::Value>());
		std::vector<int32_t> windows, out;
		if (!collector || info.Length() < 2 || !bytes.isBinary || !windowList(info[1], bytes.size, windows))
			return Nan::ThrowTypeError("Collector: windows must be (start, end) pairs inside the data");
		if (!collectAll(*collector->lane->tables, reinterpret_cast<const uint8_t *>(bytes.data), windows, out))
			return Nan::ThrowError("Collector: a rule does not compile");
		info.GetReturnValue().Set(toInt32Array(out));
	}
}

v8::Local<v8::Function> CollectorInit()
{
	Nan::EscapableHandleScope scope;
	auto tpl = Nan::New<v8::FunctionTemplate>(Collector::New);
	tpl->SetClassName(Nan::New("Collector").ToLocalChecked());
	tpl->InstanceTemplate()->SetInternalFieldCount(1);
	collectorTemplate = new Nan::Persistent<v8::FunctionTemplate>(tpl);
	Nan::SetPrototypeMethod(tpl, "submit", Collector::Submit);
	Nan::SetPrototypeMethod(tpl, "state", Collector::State);
	Nan::SetPrototypeMethod(tpl, "steal", Collector::Steal);
	Nan::SetPrototypeMethod(tpl, "take", Collector::Take);
	Nan::SetPrototypeMethod(tpl, "collectSync", Collector::CollectSync);
	return scope.Escape(Nan::GetFunction(tpl).ToLocalChecked());
}
