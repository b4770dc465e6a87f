/**
 * Prints, once per test run, why the browser tests skip (no Chromium) or that they fail when
 * GRAFT_REQUIRE_GPU=1 (CI installs chromium and sets it), as packages/backend-gpu/test/global-setup.ts does for GL.
 */
import { browserUnavailable, requireBrowser } from './env.js';

export default function setup(): void {
  if (!browserUnavailable) return;
  console.log(`${requireBrowser ? 'browser tests FAIL (GRAFT_REQUIRE_GPU=1)' : 'browser tests skipped'}: ${browserUnavailable}`);
}
