/**
 * Machine-readable argument specs and the one validator every objective runs before any kernel:
 * dtype, symbolic shape (['N', 'C'], '...' for any trailing dims) and value domain.
 */
import { ArgumentError, checkMode, DtypeError, type GraftError, IndexError, isFloat, requireAll, ShapeError, type Tensor } from '@graft/core';

export type Domain =
  | 'real' | 'logits' | 'prob' | 'simplex' | 'unit-norm' | 'positive' | 'nonneg'
  | 'label' | 'binary' | 'sign' | 'multi-hot' | 'mask' | 'log-prob'
  /** An ordered class index in 0..K inclusive, K = the size of `classes` (K cumulative logits / thresholds → K + 1 classes). */
  | 'ordinal'
  /** Class indices in [0, C) listed from the start of each row, the list ended by −1 (PyTorch's multilabel_margin_loss targets). */
  | 'label-list';

export interface ArgForm {
  /** Symbolic shape: names bind sizes across arguments, numbers are literal, '...' is any run of dims. */
  shape: readonly (string | number)[];
  dtype: 'float' | 'int' | 'bool';
  domain: Domain;
}

export interface ArgSpec extends ArgForm {
  name: string;
  optional?: boolean;
  /** The symbol whose size bounds a 'label' argument (default 'C'). */
  classes?: string;
  /**
   * The definition holds this argument constant (a detached pseudo-label source, a stop-gradient target): no gradient
   * reaches it by design, so the bench's gradcheck keeps it fixed instead of perturbing it.
   */
  stopGradient?: boolean;
  /** Another accepted form, e.g. probability targets [N, C] besides class indices [N]. */
  or?: ArgForm;
}

const fmt = (s: readonly (string | number)[]) => `[${s.join(', ')}]`;

/** Binds symbols of `form.shape` against t.shape; returns an error string or null. */
function matchShape(form: ArgForm, t: Tensor, sizes: Map<string, number>): string | null {
  const dims = form.shape;
  const ell = dims.indexOf('...');
  const head = ell < 0 ? dims : dims.slice(0, ell);
  const tail = ell < 0 ? [] : dims.slice(ell + 1);
  if (ell < 0 ? t.ndim !== dims.length : t.ndim < head.length + tail.length) {
    return `expected ${ell < 0 ? '' : 'at least '}${head.length + tail.length} dims ${fmt(dims)}, got shape ${fmt(t.shape)}`;
  }
  const pairs: [string | number, number][] = [
    ...head.map((s, i): [string | number, number] => [s, t.shape[i]]),
    ...tail.map((s, i): [string | number, number] => [s, t.shape[t.ndim - tail.length + i]]),
  ];
  const trial = new Map(sizes);
  for (const [sym, size] of pairs) {
    if (typeof sym === 'number') {
      if (sym !== size) return `expected size ${sym} in ${fmt(dims)}, got shape ${fmt(t.shape)}`;
    } else if (trial.has(sym) && trial.get(sym) !== size) {
      return `expected ${sym} = ${trial.get(sym)} (from an earlier argument) in ${fmt(dims)}, got shape ${fmt(t.shape)}`;
    } else trial.set(sym, size);
  }
  if (ell >= 0) trial.set('...', t.ndim - head.length - tail.length);
  trial.forEach((v, k) => sizes.set(k, v));
  return null;
}

function dtypeOk(form: ArgForm, t: Tensor): boolean {
  if (form.dtype === 'float') return isFloat(t.dtype);
  if (form.dtype === 'int') return t.dtype === 'int32';
  return t.dtype === 'bool';
}

/**
 * A domain's condition, built from Tensor ops on the argument's own backend (a bool tensor, true
 * where a value is valid), and the host-side predicate that names the first bad value. The
 * condition is reduced on the device and read back as one scalar (`cond.all().item()`): one sync
 * per checked argument, none of the values cross to the host unless one is bad.
 */
interface DomainRule {
  device: (t: Tensor) => Tensor;
  host: (v: number) => boolean;
  /** The error; v is the first bad value, or undefined when checks ran deferred (the values are no longer read). */
  fail: (v: number | undefined) => GraftError;
}

function domainRule(op: string, spec: ArgSpec, form: ArgForm, sizes: ReadonlyMap<string, number>, ignoreIndex?: number): DomainRule | null {
  const found = (v: number | undefined) => (v === undefined ? 'found a value outside that (a deferred check)' : `found ${v}`);
  const bad = (what: string) => (v: number | undefined) => new ArgumentError(op, `${spec.name}: expected ${what}, ${found(v)}`);
  const classes = sizes.get(spec.classes ?? 'C');
  switch (form.domain) {
    case 'label': {
      if (classes === undefined) return null;
      const c = classes;
      const ignored = (t: Tensor) => (ignoreIndex === undefined ? null : t.eq(ignoreIndex));
      return {
        device: (t) => { const ok = t.ge(0).logicalAnd(t.lt(c)); const ig = ignored(t); return ig ? ok.logicalOr(ig) : ok; },
        host: (v) => v === ignoreIndex || (v >= 0 && v < c),
        fail: (v) => new IndexError(op, `${spec.name}: ${v === undefined ? 'a class index' : `class index ${v}`} is out of range for ${c} classes (expected 0 <= target < ${c}${ignoreIndex === undefined ? '' : ` or ignoreIndex ${ignoreIndex}`})`),
      };
    }
    case 'label-list': {
      if (classes === undefined) return null;
      const c = classes;
      return {
        device: (t) => t.ge(-1).logicalAnd(t.lt(c)),
        host: (v) => v >= -1 && v < c,
        fail: (v) => new IndexError(op, `${spec.name}: ${v === undefined ? 'a class index' : `class index ${v}`} is out of range for ${c} classes (expected 0 <= target < ${c}, or -1 to end the list)`),
      };
    }
    case 'ordinal': {
      if (classes === undefined) return null;
      const k = classes;
      return {
        device: (t) => t.ge(0).logicalAnd(t.le(k)),
        host: (v) => v >= 0 && v <= k,
        fail: (v) => new IndexError(op, `${spec.name}: ${v === undefined ? 'an ordinal class' : `ordinal class ${v}`} is out of range for ${k} thresholds (expected 0 <= target <= ${k})`),
      };
    }
    // Comparisons with NaN are false, so a NaN fails every rule below (as `!(v >= 0 && v <= 1)` did on the host).
    case 'prob': return { device: (t) => t.ge(0).logicalAnd(t.le(1)), host: (v) => v >= 0 && v <= 1, fail: bad('probabilities in [0, 1]') };
    case 'binary':
    case 'multi-hot': return { device: (t) => t.eq(0).logicalOr(t.eq(1)), host: (v) => v === 0 || v === 1, fail: bad('values in {0, 1}') };
    case 'sign': return { device: (t) => t.eq(1).logicalOr(t.eq(-1)), host: (v) => v === 1 || v === -1, fail: bad('labels in {-1, +1}') };
    case 'positive': return { device: (t) => t.gt(0), host: (v) => v > 0, fail: bad('positive values') };
    case 'nonneg': return { device: (t) => t.ge(0), host: (v) => v >= 0, fail: bad('non-negative values') };
    // Simplex rows are not checked: PyTorch accepts unnormalised soft targets, and a sum test needs a tolerance no
    // caller agreed to. Reals, logits, log-probabilities, unit-norm rows and masks have no value constraint to check.
    default: return null;
  }
}

/** Runs one domain rule through core's requireAll: a single device reduction, read back as one boolean (now, or at the next read when checks are deferred). */
function checkDomain(rule: DomainRule, t: Tensor): void {
  if (t.size === 0) return;
  // The condition is a check, not part of the loss: detached, so no graph is recorded for it.
  const x = t.detach();
  // Eager (core's default): one boolean read now, the values only to name a bad one. Deferred: checked at the next host read.
  requireAll(rule.device(x), () => rule.fail(checkMode() === 'eager' ? x.data().find((u) => !rule.host(u)) : undefined));
}

/** What `bindArgs` found: the bound symbol sizes, and the value-domain checks still to run. */
export interface BoundArgs {
  sizes: Map<string, number>;
  /** Runs every value-domain check (device reductions, one scalar read each); call it after every other check. */
  checkDomains: () => void;
}

/**
 * Checks the tensors' presence, dtypes and shapes against `specs` (in order, no kernel runs) and
 * binds the shape symbols. The value-domain checks, which run kernels, are returned for the caller
 * to run once every host-side check (options included) has passed. Throws a ShapeError or
 * DtypeError naming the op, the argument and what was expected.
 */
export function bindArgs(op: string, specs: readonly ArgSpec[], tensors: readonly (Tensor | null | undefined)[], ignoreIndex?: number): BoundArgs {
  const sizes = new Map<string, number>();
  // Domains are checked once every argument has bound its sizes (the class count may come from a later argument,
  // e.g. class centres [C, D] after the targets).
  const pending: [ArgSpec, ArgForm, Tensor][] = [];
  specs.forEach((spec, i) => {
    const t = tensors[i];
    if (t === undefined || t === null) {
      if (!spec.optional) throw new ArgumentError(op, `missing required tensor argument '${spec.name}' (position ${i})`);
      return;
    }
    if (typeof t !== 'object' || !('shape' in t)) throw new ArgumentError(op, `${spec.name}: expected a Tensor, got ${typeof t}`);
    const forms = spec.or ? [spec as ArgForm, spec.or] : [spec as ArgForm];
    const errors: string[] = [];
    for (const form of forms) {
      if (!dtypeOk(form, t)) { errors.push(`dtype ${form.dtype}`); continue; }
      const trial = new Map(sizes);
      const err = matchShape(form, t, trial);
      if (err) { errors.push(err); continue; }
      pending.push([spec, form, t]);
      trial.forEach((v, k) => sizes.set(k, v));
      return;
    }
    const wantedDtypes = forms.map((f) => f.dtype).join(' or ');
    if (forms.every((f) => !dtypeOk(f, t))) throw new DtypeError(op, `${spec.name}: expected a ${wantedDtypes} tensor, got ${t.dtype}`);
    throw new ShapeError(op, `${spec.name}: ${errors.filter((e) => !e.startsWith('dtype')).join('; or ')}`);
  });
  const checkDomains = () => {
    for (const [spec, form, t] of pending) {
      const rule = domainRule(op, spec, form, sizes, ignoreIndex);
      if (rule) checkDomain(rule, t);
    }
  };
  return { sizes, checkDomains };
}

/**
 * Validates `tensors` against `specs` (in order): dtypes and shapes first, then value domains (on
 * the device, one scalar read per checked argument). Returns the bound symbol sizes. Throws a
 * ShapeError, DtypeError, IndexError or ArgumentError naming the op, the argument and what was expected.
 */
export function checkArgs(op: string, specs: readonly ArgSpec[], tensors: readonly (Tensor | null | undefined)[], ignoreIndex?: number): Map<string, number> {
  const { sizes, checkDomains } = bindArgs(op, specs, tensors, ignoreIndex);
  checkDomains();
  return sizes;
}
