/**
 * The issue-15 workloads on graft and on the JavaScript peers, each behind one interface so
 * index.ts times them all with one protocol. Every peer is a devDependency of this package only;
 * one that fails to load or run here is reported as such and the others go on.
 *
 *   matmul 1024², float32                          a @ b
 *   MLP 784-256-256-10, batch 128, fwd+bwd         mean cross-entropy, gradients of every weight
 *   softmax cross-entropy 4096×1000, fwd+bwd       gradient with respect to the logits
 *   chain x·2+1 → tanh → ·x on 4M floats
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { manualSeed, randint, randn, type Tensor } from '@graft/core';
import { crossEntropy, mlp } from 'examples/common';

export interface Workloads {
  matmul: () => unknown;
  mlp: () => unknown;
  ce: () => unknown;
  chain: () => unknown;
}
export interface Framework { name: string; note: string; load: () => Promise<Workloads> }

export const sizes = { matmul: 1024, widths: [784, 256, 256, 10], batch: 128, ce: [4096, 1000] as const, chain: 4 * 1024 * 1024 };

const gaussian = (n: number): Float32Array => {
  // Box–Muller from a fixed LCG: every framework gets the same inputs
  let s = 12345;
  const u = () => ((s = (s * 1103515245 + 12345) >>> 0) + 0.5) / 4294967296;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
};
const labels = (n: number, c: number): Int32Array => Int32Array.from({ length: n }, (_, i) => (i * 7919) % c);
const oneHot = (y: Int32Array, c: number): Float32Array => {
  const out = new Float32Array(y.length * c);
  y.forEach((k, i) => { out[i * c + k] = 1; });
  return out;
};

/**
 * Reads one element back, so a backend that runs lazily has finished the op. The element is
 * narrowed to first, so a strided result (a weight's gradient is a transposed view) is not copied
 * whole by the read.
 */
const settle = (t: Tensor): number => t.shape.reduce((v, _, d) => v.narrow(d, 0, 1), t).reshape(-1).item();

export const graft: Framework = {
  name: 'graft',
  note: '',
  async load() {
    manualSeed(0);
    const n = sizes.matmul;
    const [a, b] = [randn([n, n]), randn([n, n])];
    const model = mlp(sizes.widths);
    const x = randn([sizes.batch, sizes.widths[0]]);
    const y = randint(0, 10, [sizes.batch]);
    const logits = randn([...sizes.ce], { requiresGrad: true });
    const target = randint(0, sizes.ce[1], [sizes.ce[0]]);
    const v = randn([sizes.chain]);
    return {
      matmul: () => settle(a.matmul(b)),
      mlp: () => {
        crossEntropy(model.call(x), y).backward();
        settle(model.parameters()[0].grad!);
        model.zeroGrad();
      },
      ce: () => {
        crossEntropy(logits, target).backward();
        settle(logits.grad!);
        logits.grad = null;
      },
      chain: () => settle(v.mul(2).add(1).tanh().mul(v)),
    };
  },
};

function tfjs(backend: 'cpu' | 'wasm'): Framework {
  return {
    name: `tfjs-${backend}`,
    note: backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs, cpu backend',
    async load() {
      const tf = await import('@tensorflow/tfjs');
      if (backend === 'wasm') {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        const require = createRequire(import.meta.url);
        wasm.setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
      }
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
      const n = sizes.matmul;
      const [a, b] = [tf.tensor2d(gaussian(n * n), [n, n]), tf.tensor2d(gaussian(n * n).reverse(), [n, n])];
      const w = sizes.widths;
      const params = w.slice(1).flatMap((out, i) => [
        tf.variable(tf.tensor2d(gaussian(w[i] * out).map((g) => g / Math.sqrt(w[i])), [w[i], out])),
        tf.variable(tf.zeros([out])),
      ]);
      const x = tf.tensor2d(gaussian(sizes.batch * w[0]), [sizes.batch, w[0]]);
      const y = tf.tensor2d(oneHot(labels(sizes.batch, 10), 10), [sizes.batch, 10]);
      const [N, C] = sizes.ce;
      const logits = tf.tensor2d(gaussian(N * C), [N, C]);
      const target = tf.tensor2d(oneHot(labels(N, C), C), [N, C]);
      const ceGrad = tf.grad((z: import('@tensorflow/tfjs').Tensor) => tf.losses.softmaxCrossEntropy(target, z));
      const v = tf.tensor1d(gaussian(sizes.chain));
      const run = (f: () => import('@tensorflow/tfjs').TensorContainer) => () => { tf.tidy(f); }; // cpu and wasm run eagerly: the op is done when it returns
      return {
        matmul: run(() => tf.matMul(a, b)),
        mlp: () => {
          const { value, grads } = tf.variableGrads(() => {
            let h: import('@tensorflow/tfjs').Tensor = x;
            for (let i = 0; i < params.length; i += 2) {
              h = tf.add(tf.matMul(h, params[i]), params[i + 1]);
              if (i + 2 < params.length) h = tf.relu(h);
            }
            return tf.losses.softmaxCrossEntropy(y, h) as import('@tensorflow/tfjs').Scalar;
          });
          value.dispose();
          tf.dispose(Object.values(grads));
        },
        ce: run(() => ceGrad(logits)),
        chain: run(() => v.mul(2).add(1).tanh().mul(v)),
      };
    },
  };
}

function jaxjs(mode: 'jit' | 'eager'): Framework {
  return {
    name: `jax-js-${mode}`,
    note: '@jax-js/jax, wasm device',
    async load() {
      const jax = await import('@jax-js/jax');
      const { numpy: np, nn } = jax;
      await jax.init('wasm');
      jax.defaultDevice('wasm');
      type A = import('@jax-js/jax').Array;
      const wrap = <F extends (...args: never[]) => unknown>(f: F): F => (mode === 'jit' ? (jax.jit(f as never) as unknown as F) : f);
      const n = sizes.matmul;
      const a = np.array(gaussian(n * n)).reshape([n, n]);
      const b = np.array(gaussian(n * n).reverse()).reshape([n, n]);
      const w = sizes.widths;
      type Params = A[];
      const params: Params = w.slice(1).flatMap((out, i) => [
        np.array(gaussian(w[i] * out).map((g) => g / Math.sqrt(w[i]))).reshape([w[i], out]),
        np.zeros([out]),
      ]);
      const x = np.array(gaussian(sizes.batch * w[0])).reshape([sizes.batch, w[0]]);
      const y = np.array(oneHot(labels(sizes.batch, 10), 10)).reshape([sizes.batch, 10]);
      const [N, C] = sizes.ce;
      const logits = np.array(gaussian(N * C)).reshape([N, C]);
      const target = np.array(oneHot(labels(N, C), C)).reshape([N, C]);
      const v = np.array(gaussian(sizes.chain));
      // jax-js arrays are reference counted: every use passes `.ref` so the inputs live on
      const ceOver = (rows: number) => (z: A, t: A): A => nn.logSoftmax(z, -1).mul(t).sum().mul(-1 / rows);
      const mlpLoss = (p: Params, xs: A, ys: A): A => {
        let h = xs;
        for (let i = 0; i < p.length; i += 2) {
          h = np.matmul(h, p[i]).add(p[i + 1]);
          if (i + 2 < p.length) h = nn.relu(h);
        }
        return ceOver(sizes.batch)(h, ys);
      };
      const matmul = wrap((p: A, q: A) => np.matmul(p, q));
      const mlpGrad = wrap(jax.grad(mlpLoss));
      const ceGrad = wrap(jax.grad(ceOver(N)));
      const chain = wrap((t: A) => np.tanh(t.ref.mul(2).add(1)).mul(t));
      const done = async (out: A | A[]) => {
        for (const t of Array.isArray(out) ? out : [out]) { await t.blockUntilReady(); t.dispose(); }
      };
      return {
        matmul: () => done(matmul(a.ref, b.ref)),
        mlp: () => done(mlpGrad(params.map((p) => p.ref), x.ref, y.ref) as unknown as A[]),
        ce: () => done(ceGrad(logits.ref, target.ref)),
        chain: () => done(chain(v.ref)),
      };
    },
  };
}

export const peers: Framework[] = [tfjs('cpu'), tfjs('wasm'), jaxjs('jit'), jaxjs('eager')];
