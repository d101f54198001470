/**
 * Substring assertions for whole HTML pages: on failure they name the missing text instead of printing
 * a third of a megabyte of page.
 */
import { expect } from "vitest";

/** Asserts that `page` contains `text`. */
export function expectIn(page: string, text: string): void {
  expect(page.includes(text), `page should contain ${JSON.stringify(text)}`).toBe(true);
}

/** Asserts that `page` does not contain `text`. */
export function expectNotIn(page: string, text: string): void {
  expect(page.includes(text), `page should not contain ${JSON.stringify(text)}`).toBe(false);
}
