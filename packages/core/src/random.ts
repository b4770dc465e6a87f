/**
 * Seeded random numbers: xoshiro128** for uniform 32-bit draws (fast, well tested), two draws per
 * double, and Box–Muller for normals. `manualSeed(n)` makes every later rand/randn/randint reproducible.
 */
export class Generator {
  private s = new Uint32Array(4);
  private spareNormal: number | null = null;

  constructor(seed = 0) { this.seed(seed); }

  /** Seeds the state with splitmix32 so that nearby seeds give unrelated streams. */
  seed(seed: number): void {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.spareNormal = null;
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log stays finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /**
   * The log of one Gamma(alpha, 1) draw (Marsaglia & Tsang, "A simple method for generating gamma
   * variables", 2000). For alpha < 1 it boosts: Gamma(α) = Gamma(α + 1)·U^(1/α), kept in log space
   * because U^(1/α) underflows to 0 for small α (beta and dirichlet normalise these logs).
   */
  logGamma(alpha: number): number {
    if (alpha < 1) return this.logGamma(alpha + 1) + Math.log(1 - this.uniform()) / alpha;
    const d = alpha - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const t = 1 + c * x;
      if (t <= 0) continue;
      const v = t * t * t;
      const u = 1 - this.uniform(); // (0, 1]: log stays finite
      // The squeeze accepts most draws without a log; the second test is the exact one.
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return Math.log(d * v);
    }
  }

  /** Uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** The generator behind rand/randn/randint and every sampler when none is passed. */
export const defaultGenerator = new Generator(0);
export const manualSeed = (seed: number): void => defaultGenerator.seed(seed);
