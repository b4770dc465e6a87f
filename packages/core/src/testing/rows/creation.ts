/**
 * Op-table rows: creation, random sampling, layer construction and gradient assignment. They have
 * no PyTorch fixture values (constants and random draws), so each row is its error inputs: bad
 * values, sizes and scalars must raise a named GraftError instead of building a garbage tensor.
 * Sampling itself is checked statistically in core's test/random.test.ts.
 */
import { ArgumentError, AutogradError, DtypeError, ShapeError } from '../../errors.js';
import {
  arange, bernoulli, beta, dirichlet, eye, fromTyped, full, gamma, linspace, multinomial, nn, normal, normal_, ones, rand, randint, randn,
  randperm, tensor, uniform_, zeros,
} from '../../index.js';
import { type ErrorInput, type Rows, errorsOnly } from '../op-row.js';

type ErrorClass = ErrorInput['error'];
/** One error input: a title, the bad call on backend `b`, the error class and a message pattern. */
const bad = (name: string, call: (b: string) => unknown, error: ErrorClass, message: RegExp): ErrorInput => ({ name, call, error, message });

const CONSTANT = 'a creation function: its values are constants with nothing to compare against PyTorch';
const RANDOM = 'a random draw: checked statistically (moments, frequencies) in test/random.test.ts, not against fixture values';
const HUGE = [1e6, 1e6];
const f32 = (values: number[], b: string) => tensor(values, { backend: b });

export const creationRows = {
  tensor: errorsOnly(CONSTANT, [
    bad('int32 from NaN', (b) => tensor([1, NaN], { dtype: 'int32', backend: b }), DtypeError, /tensor.*NaN.*int32/),
    bad('int32 from Infinity', (b) => tensor([Infinity], { dtype: 'int32', backend: b }), DtypeError, /tensor.*Infinity.*int32/),
    bad('int32 from -Infinity', (b) => tensor([-Infinity], { dtype: 'int32', backend: b }), DtypeError, /tensor.*-Infinity.*int32/),
    bad('int32 from 2^31 (would wrap around)', (b) => tensor([2 ** 31], { dtype: 'int32', backend: b }), DtypeError, /tensor.*2147483648.*int32 without overflow/),
    bad('int32 from -2^31 - 1', (b) => fromTyped(new Float64Array([-(2 ** 31) - 1]), [1], { dtype: 'int32', backend: b }), DtypeError, /tensor.*-2147483649/),
    bad('negative dims', (b) => fromTyped([1, 2], [-1, -2], { backend: b }), ShapeError, /tensor.*non-negative integers.*\[-1, -2\]/),
    bad('fractional dims', (b) => fromTyped([1, 2], [0.5, 4], { backend: b }), ShapeError, /tensor.*\[0\.5, 4\]/),
    bad('more elements than a typed array holds', (b) => fromTyped([], HUGE, { backend: b }), ShapeError, /tensor.*\[1000000, 1000000\].*1000000000000 elements/),
  ]),
  full: errorsOnly(CONSTANT, [
    bad('int32 filled with NaN', (b) => full([2], NaN, { dtype: 'int32', backend: b }), DtypeError, /full.*NaN.*int32/),
    bad('int32 filled with 2^40', (b) => full([2], 2 ** 40, { dtype: 'int32', backend: b }), DtypeError, /full.*1099511627776.*int32/),
    bad('a string fill value', (b) => full([2], '1' as never, { backend: b }), ArgumentError, /full.*string '1'/),
    bad('a NaN dim (zeros)', (b) => zeros([NaN], { backend: b }), ShapeError, /full.*\[NaN\]/),
    bad('a negative dim (ones)', (b) => ones([2, -3], { backend: b }), ShapeError, /full.*\[2, -3\]/),
    bad('zeros([1e6, 1e6])', (b) => zeros(HUGE, { backend: b }), ShapeError, /full.*\[1000000, 1000000\].*1000000000000 elements/),
    bad('newZeros beyond a typed array', (b) => f32([1], b).newZeros(HUGE), ShapeError, /full.*\[1000000, 1000000\].*1000000000000 elements/),
  ]),
  arange: errorsOnly(CONSTANT, [
    bad('arange(0, 1e10)', (b) => arange(0, 1e10, 1, { backend: b }), ShapeError, /arange.*10000000000 elements/),
    bad('an infinite end', (b) => arange(0, Infinity, 1, { backend: b }), ArgumentError, /arange.*finite.*Infinity/),
    bad('int32 beyond 2^31', (b) => arange(2 ** 31, 2 ** 31 + 2, 1, { backend: b }), DtypeError, /2147483648.*int32/),
  ]),
  linspace: errorsOnly(CONSTANT, [
    bad('1e10 steps', (b) => linspace(0, 1, 1e10, { backend: b }), ShapeError, /linspace.*10000000000 elements/),
  ]),
  eye: errorsOnly(CONSTANT, [
    bad('eye(1e6)', (b) => eye(1e6, 1e6, { backend: b }), ShapeError, /eye.*\[1000000, 1000000\].*1000000000000 elements/),
    bad('a negative size', (b) => eye(-1, -1, { backend: b }), ShapeError, /eye.*\[-1, -1\]/),
  ]),
  rand: errorsOnly(RANDOM, [
    bad('a fractional dim', (b) => rand([2.5], { backend: b }), ShapeError, /rand.*\[2\.5\]/),
    bad('more elements than a typed array holds', (b) => randn(HUGE, { backend: b }), ShapeError, /randn.*1000000000000 elements/),
  ]),
  randint: errorsOnly(RANDOM, [
    bad('randint(0, 2^40) as int32', (b) => randint(0, 2 ** 40, [3], { backend: b }), DtypeError, /randint.*1099511627775.*int32/),
    bad('high <= low', (b) => randint(3, 3, [2], { backend: b }), ArgumentError, /randint.*low < high/),
    bad('a NaN dim', (b) => randint(0, 2, [NaN], { backend: b }), ShapeError, /randint.*\[NaN\]/),
  ]),
  bernoulli: errorsOnly(RANDOM, [
    bad('a probability above 1', (b) => bernoulli(f32([0.5, 1.5], b)), ArgumentError, /bernoulli.*\[0, 1\].*1\.5/),
    bad('a NaN probability', (b) => bernoulli(f32([NaN], b)), ArgumentError, /bernoulli.*NaN/),
    bad('int32 probabilities', (b) => bernoulli(tensor([1], { dtype: 'int32', backend: b })), DtypeError, /bernoulli.*float.*int32/),
    bad('a number instead of a tensor', () => bernoulli(0.5 as never), ArgumentError, /bernoulli.*Tensor.*0\.5/),
  ]),
  multinomial: errorsOnly(RANDOM, [
    bad('a negative weight', (b) => multinomial(f32([1, -1, 1], b), 1), ArgumentError, /multinomial.*non-negative.*-1/),
    bad('an infinite weight', (b) => multinomial(f32([1, Infinity], b), 1), ArgumentError, /multinomial.*finite.*Infinity/),
    bad('a row of zeros', (b) => multinomial(tensor([[1, 2], [0, 0]], { backend: b }), 1), ArgumentError, /multinomial.*row 1.*positive/),
    bad('3-d weights', (b) => multinomial(zeros([1, 1, 2], { backend: b }).add(1), 1), ShapeError, /multinomial.*1-d or 2-d.*\[1, 1, 2\]/),
    bad('zero samples', (b) => multinomial(f32([1, 2], b), 0), ArgumentError, /multinomial.*positive integer.*0/),
    bad('more samples than non-zero weights, without replacement', (b) => multinomial(f32([1, 0, 1], b), 3), ArgumentError, /multinomial.*3 samples without replacement.*2 non-zero/),
  ]),
  randperm: errorsOnly(RANDOM, [
    bad('a negative n', (b) => randperm(-1, { backend: b }), ArgumentError, /randperm.*non-negative integer.*-1/),
    bad('a fractional n', (b) => randperm(2.5, { backend: b }), ArgumentError, /randperm.*2\.5/),
  ]),
  gamma: errorsOnly(RANDOM, [
    bad('a zero concentration', (b) => gamma(0, 1, [2], { backend: b }), ArgumentError, /gamma.*concentration.*positive.*0/),
    bad('a negative rate', (b) => gamma(f32([1, 2], b), -1), ArgumentError, /gamma.*rate.*positive.*-1/),
    bad('parameters that do not broadcast to the shape', (b) => gamma(f32([1, 2], b), 1, [3]), ShapeError, /gamma/),
    bad('a string concentration', (b) => gamma('2' as never, 1, [2], { backend: b }), ArgumentError, /gamma.*string '2'/),
    bad('an int32 dtype', (b) => gamma(2, 1, [2], { dtype: 'int32', backend: b }), DtypeError, /gamma.*float dtype.*int32/),
  ]),
  beta: errorsOnly(RANDOM, [
    bad('a negative alpha', (b) => beta(-1, 1, [2], { backend: b }), ArgumentError, /beta.*alpha.*positive.*-1/),
    bad('a NaN beta', (b) => beta(f32([1], b), f32([NaN], b)), ArgumentError, /beta.*beta.*NaN/),
  ]),
  dirichlet: errorsOnly(RANDOM, [
    bad('a zero concentration', (b) => dirichlet(f32([1, 0], b)), ArgumentError, /dirichlet.*positive.*0/),
    bad('a 0-d concentration', (b) => dirichlet(tensor(1, { backend: b })), ShapeError, /dirichlet.*0-d/),
    bad('int32 concentration', (b) => dirichlet(tensor([1, 2], { dtype: 'int32', backend: b })), DtypeError, /dirichlet.*float.*int32/),
  ]),
  normal: errorsOnly(RANDOM, [
    bad('a negative std', (b) => normal(0, -1, [2], { backend: b }), ArgumentError, /normal.*std.*non-negative.*-1/),
    bad('a std tensor with a negative entry', (b) => normal(f32([0, 0], b), f32([1, -2], b)), ArgumentError, /normal.*std.*-2/),
    bad('a string mean', (b) => normal('0' as never, 1, [2], { backend: b }), ArgumentError, /normal.*string '0'/),
  ]),
  normal_: errorsOnly(RANDOM, [
    bad('an int32 target', (b) => normal_(tensor([1, 2], { dtype: 'int32', backend: b })), DtypeError, /normal_.*float.*int32/),
    bad('a negative std', (b) => normal_(f32([1, 2], b), 0, -1), ArgumentError, /normal_.*std >= 0.*-1/),
    bad('a leaf that requires grad, outside noGrad', (b) => normal_(f32([1], b).requiresGrad_()), AutogradError, /assign.*noGrad/),
  ]),
  uniform_: errorsOnly(RANDOM, [
    bad('low > high', (b) => uniform_(f32([1, 2], b), 1, 0), ArgumentError, /uniform_.*low <= high.*low=1, high=0/),
    bad('a bool target', (b) => uniform_(tensor([true], { backend: b })), DtypeError, /uniform_.*float.*bool/),
  ]),
  'nn.Linear': errorsOnly(CONSTANT, [
    bad('zero input features', (b) => new nn.Linear(0, 2, { backend: b }), ArgumentError, /Linear.*inFeatures.*positive integer.*0/),
    bad('fractional output features', (b) => new nn.Linear(2, 1.5, { backend: b }), ArgumentError, /Linear.*outFeatures.*1\.5/),
  ]),
  'nn.Conv2d': errorsOnly(CONSTANT, [
    bad('a zero kernel', (b) => new nn.Conv2d(1, 1, 0, {}, { backend: b }), ArgumentError, /Conv2d.*kernelSize\[0\].*positive integer.*0/),
    bad('zero input channels', (b) => new nn.Conv2d(0, 1, 3, {}, { backend: b }), ArgumentError, /Conv2d.*inChannels.*0/),
  ]),
  'Tensor.grad': errorsOnly('the gradient setter: a check, no values', [
    bad('a grad of another size', (b) => { f32([1, 2], b).grad = zeros([3], { backend: b }); }, ShapeError, /grad.*different size.*\[3\].*\[2\]/),
    bad('a grad of another dtype', (b) => { f32([1, 2], b).grad = zeros([2], { dtype: 'int32', backend: b }); }, DtypeError, /grad.*different type.*int32.*float32/),
  ]),
} satisfies Rows;
