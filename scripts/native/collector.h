// Added by scripts/build-native.mjs to the `re2` addon's sources: the Collector class (collector.cc).
#pragma once

#include <nan.h>

v8::Local<v8::Function> CollectorInit();
