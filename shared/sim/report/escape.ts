/**
 * Escaping for text that reaches the report from input (scenario names, trace paths, anything a user
 * typed): the page must show it, never run it.
 */

const htmlEntities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML (or SVG) text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => htmlEntities[ch] ?? ch);
}

/**
 * Serialises a value as JSON that is safe inside an inline `<script>` element: `<`, `>` and `&` become
 * `\u003c`-style escapes so a string such as `</script>` cannot end the element, and U+2028/U+2029
 * (line terminators in older JavaScript) are escaped too. The result is still valid JSON.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
