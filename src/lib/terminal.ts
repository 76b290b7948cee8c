/**
 * What we print may carry text from a feed, a database or the command line: control characters
 * other than line breaks and tabs are shown escaped, so that nothing printed can move the cursor
 * or retitle the terminal.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

export const escapeControl = (text: string) =>
  text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
