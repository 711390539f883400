// esbuild's `charset: 'ascii'` escapes every non-ASCII character in code (strings, templates, regular expressions,
// identifiers) but keeps the comments it preserves as they are, and a few bundled libraries have typographic quotes
// or math symbols in theirs. One such character makes the whole file a two-byte string to V8: UTF-8 decoding of
// the 2 MB signing action cost ~18 ms of every step. asciiComments() replaces each non-ASCII character of a comment
// with `?` and refuses a file where one sits anywhere else (the parse says where each one is).
import ts from 'typescript';

const NON_ASCII = /[^\x00-\x7f]/g;

/** The bundle's text with its comments made ASCII; throws if a non-ASCII character is outside a comment. */
export function asciiComments(text, fileName = 'bundle.js') {
  if (!/[^\x00-\x7f]/.test(text)) return text;
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  let out = '';
  let at = 0;
  for (const m of text.matchAll(NON_ASCII)) {
    const pos = m.index;
    if (!inComment(file, text, pos)) {
      const line = text.slice(0, pos).split('\n').length;
      throw new Error(`${fileName}:${line}: a non-ASCII character outside a comment (esbuild should have escaped it)`);
    }
    out += `${text.slice(at, pos)}?`;
    at = pos + m[0].length;
  }
  return out + text.slice(at);
}

function inComment(file, text, pos) {
  // The token at `pos` owns the trivia before it: `pos` is in a comment if it is before the token's own text and
  // inside one of the comment ranges of that trivia (or of the end-of-file token's).
  const token = ts.getTokenAtPosition(file, pos);
  // In a JavaScript file the parser reads JSDoc comments into nodes of their own: a position inside one is a comment.
  for (let n = token; n; n = n.parent)
    if (n.kind >= ts.SyntaxKind.FirstJSDocNode && n.kind <= ts.SyntaxKind.LastJSDocNode) return true;
  const ranges = [
    ...(ts.getLeadingCommentRanges(text, token.getFullStart()) ?? []),
    ...(ts.getTrailingCommentRanges(text, token.getFullStart()) ?? []),
  ];
  return pos < token.getStart(file) && ranges.some((r) => r.pos <= pos && pos < r.end);
}
