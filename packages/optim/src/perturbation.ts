import { ArgumentError, AutogradError, keep, noGrad, type Tensor } from '@graft/core';

/**
 * Moves parameters to w + e and back: the one perturb/restore mechanism behind SAM, ASAM, ImbSAM,
 * GSAM, DGSAM, AWP and RWP. `apply` saves an exact copy of each w and adds its offset e;
 * `restore` puts the saved w back bit for bit (SAM's `p.data = old_p`); `remove` subtracts e
 * instead (AWP's, ImbSAM's and GSAM's `p -= e`, which also keeps whatever a step did in between).
 * Both bump each parameter's version, so a graph built at w + e cannot be reused by mistake.
 *
 * Memory (core's memory.ts): the saved copies are kept, so a perturbation applied inside one tidy
 * can be restored inside another (SAM's firstStep and secondStep), and are disposed by
 * `restore`/`remove`. The offsets are the caller's unless `apply` is told to own them: then they
 * are kept too, and disposed by `restore`/`remove` (`remove` needs them until then).
 */
export class WeightPerturbation {
  private entries: { p: Tensor; w: Tensor; e: Tensor }[] = [];
  private ownsOffsets = false;

  /** Whether parameters are currently perturbed. */
  get active(): boolean { return this.entries.length > 0; }

  /** The parameters and offsets currently applied. */
  get applied(): readonly { readonly p: Tensor; readonly e: Tensor }[] { return this.entries; }

  /**
   * p ← p + e for each pair (a null offset leaves that parameter alone). With `ownOffsets`, the
   * offsets belong to the perturbation from now on (kept, then disposed by restore/remove).
   */
  apply(params: readonly Tensor[], offsets: readonly (Tensor | null)[], { ownOffsets = false }: { ownOffsets?: boolean } = {}): void {
    if (this.active) throw new ArgumentError('WeightPerturbation', 'apply called while a perturbation is already applied; restore() or remove() it first');
    if (params.length !== offsets.length) throw new ArgumentError('WeightPerturbation', `${params.length} parameters but ${offsets.length} offsets`);
    this.ownsOffsets = ownOffsets;
    noGrad(() => params.forEach((p, i) => {
      const e = offsets[i];
      if (!e) return;
      this.entries.push({ p, w: keep(p.clone()), e: ownOffsets ? keep(e) : e });
      p.assign(p.add(e));
    }));
  }

  /**
   * Runs `fn` (a closure evaluated at w + e, a base step) and returns its result; if it throws while
   * the perturbation is applied, the saved w are restored exactly before the error propagates, so a
   * failing closure never leaves the model at w + e.
   */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (this.active) this.restore();
      throw error;
    }
  }

  /** p ← the saved w, exactly. */
  restore(): void {
    noGrad(() => { for (const { p, w } of this.entries) p.assign(w); });
    this.release();
  }

  /** p ← p − e. */
  remove(): void {
    noGrad(() => { for (const { p, e } of this.entries) p.assign(p.sub(e)); });
    this.release();
  }

  /** Frees the saved copies (and owned offsets) and forgets the entries. */
  private release(): void {
    for (const { w, e } of this.entries) {
      w.dispose();
      if (this.ownsOffsets) e.dispose();
    }
    this.entries = [];
  }
}

/** Throws naming `owner` when none of `params` has a gradient after `what` (a closure that forgot backward()). */
export function requireGradients(owner: string, params: readonly Tensor[], what: string): void {
  if (!params.some((p) => p.grad)) throw new AutogradError(owner, `${what} produced no gradients: it must call loss.backward() (and return the loss)`);
}
