/**
 * The GLSL side of every kernel: scalar semantics written once, in GLSL ES 1.00 (what WebGL 1 and
 * headless-gl compile; gpu.js translates the same calls for WebGL 2).
 *
 * Why these are written by hand rather than left to GLSL builtins:
 * - GLSL leaves log/sqrt/pow of negatives, and everything about NaN and ±∞, undefined, and the
 *   compilers fold constants (ANGLE turns `1.0/0.0` and `0.0/0.0` into FLT_MAX), so NaN and ∞
 *   reach a kernel only as uniforms (`nanv`, `infv`, arguments of every kernel) and every
 *   function below decides the special cases explicitly, as the reference backend does.
 * - `x != x` is the one NaN test that survives the optimisers here (`!(x < 0 || x > 0 || x == 0)`
 *   is folded to false).
 * - builtin max/min drop NaN; tanh is missing in GLSL ES 1.00; round is half-away-from-zero.
 * - builtin sin/cos may reduce their argument coarsely: Chromium's SwiftShader errs by up to 2e-4
 *   near ±1, so `gx_sinq` reduces it exactly and evaluates its own polynomials.
 * - The sign of a zero result is not kept everywhere (the suite compares -0 and 0 as equal);
 *   where it decides a result (1/-0, pow(-0, -1)) it is tested at run time.
 *
 * Each op family's rules are a `Record` over core's op-name union, so an op without GLSL does not
 * compile; op codes are the op's index in core's `unaryOps` / `binaryOps` / `reduceOps` /
 * `argReduceOps` lists, passed to kernels as int uniforms.
 */
import {
  argReduceOps, binaryOps, reduceOps, unaryOps, type ArgReduceOp, type BinaryOp, type ReduceOp, type UnaryOp,
} from '@graft/core';

export const unaryCode = (op: UnaryOp): number => unaryOps.indexOf(op);
export const binaryCode = (op: BinaryOp): number => binaryOps.indexOf(op);
export const reduceCode = (op: ReduceOp): number => reduceOps.indexOf(op);
export const argReduceCode = (op: ArgReduceOp): number => argReduceOps.indexOf(op);

/** How a kernel's float result is stored: as is, or as a bool (v != 0, NaN true). */
export const STORE_AS_IS = 0;
export const STORE_BOOL = 1;

/** The body of each unary op on `float x` (with `nanv`, `infv`): a Record, so a missing op does not compile. */
export type UnaryGlsl = Record<UnaryOp, string>;
/** The body of each binary op on `float a, c`; comparisons and `and`/`or` return 0.0 or 1.0. */
export type BinaryGlsl = Record<BinaryOp, string>;

export const unaryGlsl: UnaryGlsl = {
  neg: 'return -x;',
  abs: 'return abs(x);',
  sign: 'if (gx_nan(x)) return x; return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : x);',
  exp: 'if (gx_nan(x)) return x; if (x == -infv) return 0.0; return exp(x);',
  expm1: 'return gx_expm1(x, infv);',
  log: 'if (gx_nan(x) || x == infv) return x; if (x < 0.0) return nanv; if (x == 0.0) return -infv; return log(x);',
  log1p: 'return gx_log1p(x, nanv, infv);',
  sqrt: 'if (gx_nan(x) || x == infv || x == 0.0) return x; if (x < 0.0) return nanv; return sqrt(x);',
  sin: 'if (gx_nan(x) || gx_inf(x, infv)) return nanv; return gx_sinq(x, 0.0);',
  cos: 'if (gx_nan(x) || gx_inf(x, infv)) return nanv; return gx_sinq(x, 1.0);',
  tanh: 'return gx_tanh(x, infv);',
  // for x < 0, e^x / (1 + e^x): the exponential cannot overflow
  sigmoid: 'if (gx_nan(x)) return x; if (x >= 0.0) return 1.0 / (1.0 + exp(-x)); if (x == -infv) return 0.0; float e = exp(x); return e / (1.0 + e);',
  erf: 'return gx_erf(x);',
  floor: 'if (gx_nan(x) || gx_inf(x, infv)) return x; return floor(x);',
  ceil: 'if (gx_nan(x) || gx_inf(x, infv)) return x; return ceil(x);',
  round: 'return gx_round(x);',
  reciprocal: 'if (x == 0.0) return 1.0 / x > 0.0 ? infv : -infv; return 1.0 / x;',
};

export const binaryGlsl: BinaryGlsl = {
  add: 'return a + c;',
  sub: 'return a - c;',
  mul: 'return a * c;',
  div: `if (c == 0.0) { if (a == 0.0 || gx_nan(a)) return nanv; return ((a > 0.0) == (1.0 / c > 0.0)) ? infv : -infv; }
    if (gx_inf(c, infv)) { if (gx_inf(a, infv) || gx_nan(a)) return nanv; return 0.0; }
    return a / c;`,
  pow: 'return gx_pow(a, c, nanv, infv);',
  maximum: 'if (gx_nan(a)) return a; if (gx_nan(c)) return c; return a > c ? a : c;',
  minimum: 'if (gx_nan(a)) return a; if (gx_nan(c)) return c; return a < c ? a : c;',
  lt: 'return a < c ? 1.0 : 0.0;',
  le: 'return a <= c ? 1.0 : 0.0;',
  gt: 'return a > c ? 1.0 : 0.0;',
  ge: 'return a >= c ? 1.0 : 0.0;',
  eq: 'return a == c ? 1.0 : 0.0;',
  ne: 'return a != c ? 1.0 : 0.0;',
  and: 'return (a != 0.0 && c != 0.0) ? 1.0 : 0.0;',
  or: 'return (a != 0.0 || c != 0.0) ? 1.0 : 0.0;',
};

/** Reductions: the identity (g_redinit) and one accumulation step (g_red); max and min propagate NaN. */
const reduceInit: Record<ReduceOp, string> = { sum: 'return 0.0;', prod: 'return 1.0;', max: 'return -infv;', min: 'return infv;' };
const nanFirst = 'if (gx_nan(acc)) return acc; if (gx_nan(v)) return v;';
const reduceStep: Record<ReduceOp, string> = {
  sum: 'return acc + v;',
  prod: 'return acc * v;',
  max: `${nanFirst} return v > acc ? v : acc;`,
  min: `${nanFirst} return v < acc ? v : acc;`,
};
const argBetter: Record<ArgReduceOp, string> = {
  argmax: 'if (gx_nan(best)) return 0.0; if (gx_nan(v)) return 1.0; return v > best ? 1.0 : 0.0;',
  argmin: 'if (gx_nan(best)) return 0.0; if (gx_nan(v)) return 1.0; return v < best ? 1.0 : 0.0;',
};

/**
 * A native `float name(int op, params)` that runs the rule of the op whose code (its index in
 * core's list `ops`) is `op`: one returning `if (op == code)` branch per op, the last op's rule
 * unconditional, so every op code reaches its own rule and none falls through to a default.
 */
function glslSwitch<Op extends string>(name: string, params: string, ops: readonly Op[], rules: Record<Op, string>) {
  const branches = ops.map((op, i) => (i < ops.length - 1 ? `if (op == ${i}) { ${rules[op]} }\n  ` : `{ ${rules[op]} }`));
  return { name, returnType: 'Number' as const, source: `float ${name}(int op, ${params}) {\n  ${branches.join('')}\n}` };
}

/** Helpers injected into every shader (callable only from the natives below). */
export const library = `
bool gx_nan(float x) { return x != x; }
bool gx_inf(float x, float infv) { return x == infv || x == -infv; }
bool gx_isint(float x) { return floor(x) == x; }
bool gx_odd(float x) { return gx_isint(x) && abs(x) < 16777216.0 && mod(x, 2.0) == 1.0; }
// GLSL's exp and log near 1 carry an absolute error (up to 2^-21 for log on [0.5, 2]), so Kahan's
// (e − 1)·x/log(e) tricks lose relative precision for small x: short series instead, which are
// exact to float32 rounding on the ranges they serve.
float gx_expm1(float x, float infv) {
  if (gx_nan(x)) return x;
  if (abs(x) >= 0.5) { if (x == infv) return x; return exp(x) - 1.0; }
  // Taylor series to x^9/9!: the first dropped term is below 0.5^10/10! ≈ 3e-10.
  return x * (1.0 + x * (1.0 / 2.0 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0
    + x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x / 362880.0))))))));
}
float gx_log1p(float x, float nanv, float infv) {
  if (gx_nan(x) || x == infv) return x;
  if (x < -1.0) return nanv;
  if (x == -1.0) return -infv;
  if (x < -0.4 || x > 0.6) return log(1.0 + x); // |log1p(x)| > 0.47 here: log's absolute error is a relative 1e-6
  // log1p(x) = 2·atanh(s), s = x/(2 + x), |s| ≤ 0.25: the odd series to s^17 leaves < 0.25^18/19 ≈ 8e-13.
  float s = x / (2.0 + x);
  float z = s * s;
  return 2.0 * s * (1.0 + z * (1.0 / 3.0 + z * (1.0 / 5.0 + z * (1.0 / 7.0 + z * (1.0 / 9.0 + z * (1.0 / 11.0
    + z * (1.0 / 13.0 + z * (1.0 / 15.0 + z / 17.0))))))));
}
// sin(x + quarter·π/2) for finite x (quarter 0: sin, 1: cos). Cody–Waite reduction x = k·π/2 + r, |r| ≤ π/4,
// with π/2 = P1 + P2 + P3 + P4 (P1..P3 of 8 significant bits each) and k = kh + kl (kh a multiple of 256, |kl| < 256):
// every kh·Pi and kl·Pi is exact in float32 and so is each subtraction, leaving r within 1e-7 of exact for |x| < 1e6
// (past 2^23 k itself rounds). Then Taylor series on |r| ≤ π/4: the first dropped terms are below
// (π/4)^11/11! ≈ 2e-9 (sin) and (π/4)^12/12! ≈ 1e-10 (cos).
float gx_sinq(float x, float quarter) {
  float k = floor(x * 0.6366197723675814 + 0.5);
  float kh = sign(k) * floor(abs(k) / 256.0) * 256.0;
  float kl = k - kh;
  float r = x - kh * 1.5703125;
  r -= kl * 1.5703125;
  r -= kh * 0.000484466552734375;
  r -= kl * 0.000484466552734375;
  r -= kh * -6.407499313354492e-7;
  r -= kl * -6.407499313354492e-7;
  r -= k * 9.920935184482005e-10;
  float z = r * r;
  float q = mod(k + quarter, 4.0); // sin(r + q·π/2): sin r, cos r, −sin r, −cos r
  float v;
  if (q == 0.0 || q == 2.0) {
    v = r + r * z * (-1.0 / 6.0 + z * (1.0 / 120.0 + z * (-1.0 / 5040.0 + z / 362880.0)));
  } else {
    v = 1.0 + z * (-0.5 + z * (1.0 / 24.0 + z * (-1.0 / 720.0 + z * (1.0 / 40320.0 - z / 3628800.0))));
  }
  return q >= 2.0 ? -v : v;
}
float gx_tanh(float x, float infv) {
  if (gx_nan(x)) return x;
  float a = abs(x);
  float t;
  if (a > 9.01) t = 1.0;
  else { float e = gx_expm1(-2.0 * a, infv); t = -e / (2.0 + e); }
  return x < 0.0 ? -t : t;
}
float gx_erf(float x) {
  if (gx_nan(x) || x == 0.0) return x;
  float a = abs(x);
  float v;
  if (a < 0.5) {
    float x2 = x * x;
    return 1.1283791670955126 * x * (1.0 + x2 * (-0.3333333333333333 + x2 * (0.1 + x2 * (-0.023809523809523808 + x2 * (0.004629629629629629 + x2 * (-0.0007575757575757576 + x2 * 0.00010683760683760684))))));
  }
  if (a >= 6.0) v = 1.0;
  else {
    float t = 1.0 / (1.0 + 0.5 * a);
    float erfc = t * exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    v = 1.0 - erfc;
  }
  return x < 0.0 ? -v : v;
}
float gx_round(float x) {
  if (gx_nan(x) || abs(x) >= 8388608.0) return x;
  float f = floor(x + 0.5);
  if (f - x == 0.5 && mod(f, 2.0) != 0.0) f -= 1.0;
  return f;
}
float gx_pow(float a, float e, float nanv, float infv) {
  if (e == 0.0) return 1.0;
  if (gx_nan(a) || gx_nan(e)) return nanv;
  if (gx_inf(e, infv)) {
    float m = abs(a);
    if (m == 1.0) return nanv;
    if ((m > 1.0) == (e > 0.0)) return infv;
    return 0.0;
  }
  bool odd = gx_odd(e);
  if (a == 0.0) {
    if (e > 0.0) return odd ? a : 0.0;
    return (odd && 1.0 / a < 0.0) ? -infv : infv;
  }
  if (gx_inf(a, infv)) {
    bool neg = a < 0.0 && odd;
    if (e > 0.0) return neg ? -infv : infv;
    return 0.0;
  }
  if (a < 0.0 && !gx_isint(e)) return nanv;
  float m = exp2(e * log2(abs(a)));
  if (gx_isint(e) && abs(e) <= 4.0) {
    float p = abs(a);
    float q = p;
    float ae = abs(e);
    if (ae >= 2.0) q *= p;
    if (ae >= 3.0) q *= p;
    if (ae >= 4.0) q *= p;
    m = e > 0.0 ? q : 1.0 / q;
  }
  return (a < 0.0 && odd) ? -m : m;
}
`;

/** Natives: functions generated kernels call (gpu.js learns their return types from these). */
export const natives: { name: string; source: string; returnType: 'Number' | 'Integer' }[] = [
  { name: 'idiv', returnType: 'Integer', source: 'int idiv(int a, int b) { return a / b; }' },
  { name: 'imod', returnType: 'Integer', source: 'int imod(int a, int b) { return a - b * (a / b); }' },
  { name: 'imin', returnType: 'Integer', source: 'int imin(int a, int b) { return a < b ? a : b; }' },
  { name: 'f2i', returnType: 'Integer', source: 'int f2i(float x) { return int(floor(x + 0.5)); }' },
  { name: 'i2f', returnType: 'Number', source: 'float i2f(int x) { return float(x); }' },
  { name: 'zero', returnType: 'Number', source: 'float zero() { return 0.0; }' },
  {
    name: 'g_store', returnType: 'Number',
    source: `float g_store(int kind, float v) { if (kind == ${STORE_BOOL}) return v != 0.0 ? 1.0 : 0.0; return v; }`,
  },
  glslSwitch('g_unary', 'float x, float nanv, float infv', unaryOps, unaryGlsl),
  glslSwitch('g_binary', 'float a, float c, float nanv, float infv', binaryOps, binaryGlsl),
  {
    name: 'g_where', returnType: 'Number',
    source: 'float g_where(float c, float a, float e) { return c != 0.0 ? a : e; }',
  },
  glslSwitch('g_redinit', 'float infv', reduceOps, reduceInit),
  glslSwitch('g_red', 'float acc, float v', reduceOps, reduceStep),
  // whether v at a later index replaces the best so far (first NaN wins, then first extreme)
  glslSwitch('g_better', 'float v, float best', argReduceOps, argBetter),
  {
    // sort: whether element (v, k) comes before (w, j) in the stable order (NaN last ascending, first descending)
    name: 'g_before', returnType: 'Number',
    source: `float g_before(int desc, float v, int k, float w, int j) {
  bool vn = gx_nan(v);
  bool wn = gx_nan(w);
  bool earlier = k < j;
  if (vn || wn) {
    if (vn && wn) return earlier ? 1.0 : 0.0;
    if (desc == 1) return vn ? 1.0 : 0.0;
    return wn ? 1.0 : 0.0;
  }
  if (v == w) return earlier ? 1.0 : 0.0;
  if (desc == 1) return v > w ? 1.0 : 0.0;
  return v < w ? 1.0 : 0.0;
}`,
  },
  {
    // logsumexp from a line's max m and Σ exp(x − m): m itself when m is ±∞ or NaN
    name: 'g_lse', returnType: 'Number',
    source: `float g_lse(float m, float s, float infv) {
  if (gx_nan(m) || gx_inf(m, infv)) return m;
  return m + log(s);
}`,
  },
  {
    // logSoftmax from the line's max m and s = Σ exp(x − m): (x − m) − log s, not x − (m + log s), whose
    // logsumexp rounds to float32 at m's magnitude (an error of 5e-4 at logits of 1e4); x − m when m is ±∞ or NaN
    name: 'g_logsoftmax', returnType: 'Number',
    source: `float g_logsoftmax(float x, float m, float s, float infv) {
  if (gx_nan(m) || gx_inf(m, infv)) return x - m;
  return (x - m) - log(s);
}`,
  },
  {
    // softmax from m and s as above: exp of g_logsoftmax's value, 0 where that is −∞; NaN on a line with a NaN, a +∞
    // (Σ exp(x − m) is NaN there, as on the cpu backend and in PyTorch) or only −∞
    name: 'g_softmax', returnType: 'Number',
    source: `float g_softmax(float x, float m, float s, float nanv, float infv) {
  if (gx_nan(x) || gx_nan(m) || gx_inf(m, infv)) return nanv;
  float d = (x - m) - log(s);
  if (d == -infv) return 0.0;
  return exp(d);
}`,
  },
  {
    // exp(x − m) for the sum of a logsumexp; a shift of ±∞ or NaN contributes nothing (g_lse returns m then)
    name: 'g_expshift', returnType: 'Number',
    source: `float g_expshift(float x, float m, float infv) {
  if (gx_nan(m) || gx_inf(m, infv)) return 0.0;
  float d = x - m;
  if (d == -infv) return 0.0;
  return exp(d);
}`,
  },
];
