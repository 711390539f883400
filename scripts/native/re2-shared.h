// Added by scripts/build-native.mjs to the `re2` addon's sources: one compiled RE2 per pattern and options in the
// process, shared by every isolate (the main thread and each scan worker) instead of one compile per thread. A
// compiled RE2 is immutable and its const methods are safe from many threads (RE2's DFA cache takes its own locks),
// so a worker finds the rules the main thread already compiled, and the DFA states it already built.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <re2/re2.h>

inline std::shared_ptr<const re2::RE2> sharedRE2(const re2::StringPiece &pattern, const re2::RE2::Options &options)
{
	// Never destroyed: a worker thread may still ask while the process runs its static destructors at exit.
	static auto &mutex = *new std::mutex;
	static auto &compiled = *new std::unordered_map<std::string, std::weak_ptr<const re2::RE2>>;
	static size_t sweepAt = 1024;
	// Every option that changes what the compiled program matches is in the key.
	std::string key(pattern.data(), pattern.size());
	key.push_back('\0');
	const bool bits[] = {options.case_sensitive(), options.one_line(), options.dot_nl(), options.never_nl(),
						 options.longest_match(), options.posix_syntax(), options.literal(), options.never_capture(),
						 options.perl_classes(), options.word_boundary(),
						 options.encoding() == re2::RE2::Options::EncodingLatin1};
	for (bool b : bits)
		key.push_back(b ? '1' : '0');
	key.append(std::to_string(options.max_mem()));
	std::lock_guard<std::mutex> lock(mutex);
	auto found = compiled.find(key);
	if (found != compiled.end())
	{
		if (auto alive = found->second.lock())
			return alive;
	}
	auto made = std::make_shared<const re2::RE2>(pattern, options);
	compiled[key] = made;
	// Patterns no object uses any more leave the table, so a long-lived process that compiles many does not grow it.
	if (compiled.size() >= sweepAt)
	{
		for (auto it = compiled.begin(); it != compiled.end();)
			it = it->second.expired() ? compiled.erase(it) : std::next(it);
		sweepAt = 2 * compiled.size() + 1024;
	}
	return made;
}
