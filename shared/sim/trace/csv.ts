/**
 * CSV reading for the trace formats (csv-parse: quoted fields, trimmed cells, byte-order mark and blank
 * lines skipped) and the quoting of file content in messages.
 */
import { CsvError, parse } from "csv-parse/sync";
import { TraceError } from "./errors.ts";

/**
 * Calls `visit` for each CSV record (quoted fields, trimmed, blank lines skipped) with the line it ends on
 * (1-based) and whether it is the first (the header). Records are handled as csv-parse reads them and
 * not kept: holding millions of rows as string arrays would cost far more than the numbers taken from
 * them. A malformed quote is a {@link TraceError} with its line; errors thrown by `visit` pass through.
 */
export function forEachCsvRow(
  text: string,
  source: string,
  visit: (cells: string[], line: number, first: boolean) => void,
): void {
  let first = true;
  try {
    parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      on_record: (record: string[], context) => {
        visit(record, context.lines, first);
        first = false;
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new TraceError(
        source,
        line,
        `malformed CSV: ${sanitize(error.message.replace(/ at line \d+/, ""))}`,
      );
    }
    throw error;
  }
}

/**
 * A cell or line quoted for a message: control characters escaped and cut to 60 characters, so a stray
 * binary or very long field cannot flood or garble the terminal.
 */
export function quote(text: string, marks = true): string {
  const short = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return marks ? `"${sanitize(short)}"` : sanitize(short);
}

function sanitize(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
