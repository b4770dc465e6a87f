/**
 * Where the browser tests find Chromium, and why they cannot run when they cannot. Debian's
 * `chromium` package (.ci/run installs it) is driven by puppeteer-core: no browser is downloaded.
 */
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.GRAFT_CHROMIUM ?? '/usr/bin/chromium';

export const requireBrowser = process.env.GRAFT_REQUIRE_GPU === '1';

/** Null when Chromium is there, else why the browser tests cannot run. */
export const browserUnavailable: string | null = existsSync(chromiumPath)
  ? null
  : `no chromium at ${chromiumPath} (apt-get install chromium, or point GRAFT_CHROMIUM at a Chromium binary)`;

/**
 * Chromium flags: headless WebGL2 through ANGLE on SwiftShader (Vulkan), a CPU rasteriser that
 * needs no GPU and no display; --no-sandbox because CI runs as root.
 */
export const chromiumArgs = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-dev-shm-usage'];
