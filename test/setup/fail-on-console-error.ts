import { afterEach, beforeEach, vi, type MockInstance } from "vitest";

// A console.error during a test fails it unless the test expects it: call
// `expectConsoleError()` (exported below) before the code that logs.
let spy: MockInstance<typeof console.error> | undefined;
let expected = false;

export function expectConsoleError(): void {
  expected = true;
}

beforeEach(() => {
  expected = false;
  spy = vi.spyOn(console, "error");
});

afterEach(() => {
  const calls = spy?.mock.calls ?? [];
  spy?.mockRestore();
  if (!expected && calls.length > 0) {
    const first = calls[0]?.map((a) => (a instanceof Error ? a.stack : String(a))).join(" ");
    throw new Error(`console.error was called ${calls.length} time(s) during the test: ${first}`);
  }
});
