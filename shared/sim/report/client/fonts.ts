/**
 * Font sizes of the text uPlot draws on its canvases (canvas text does not follow the page's CSS). No DOM
 * here, so tests can read them.
 */

/** Axis tick labels, CSS pixels. Never below 11 px: the page must read on a laptop at arm's length. */
export const axisFontPx = 12;
/** Axis titles and the labels drawn on the plot (reference lines, scatter points), CSS pixels. */
export const labelFontPx = 13;
