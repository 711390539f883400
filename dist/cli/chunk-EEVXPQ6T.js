import { createRequire as __jitCreateRequire } from 'node:module'; const require = __jitCreateRequire(import.meta.url);

// src/shared/version.ts
var VERSION = "0.1.0";

export {
  VERSION
};
