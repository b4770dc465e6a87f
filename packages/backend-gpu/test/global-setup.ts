/**
 * Prints, once per test run, why the GPU tests skip — "gl not installed", "gl failed to build" or
 * "no display" (context.ts: whyNoHeadlessGl) — or that they fail when GRAFT_REQUIRE_GPU=1 (CI runs
 * them under xvfb-run with Mesa's software GL).
 */
export default async function setup(): Promise<void> {
  const { whyNoGl } = await import('../src/context.js');
  const why = whyNoGl('headlessgl');
  if (!why) return;
  const what = process.env.GRAFT_REQUIRE_GPU === '1' ? 'GPU tests FAIL (GRAFT_REQUIRE_GPU=1)' : 'GPU tests skipped';
  console.log(`${what}: ${why}`);
}
