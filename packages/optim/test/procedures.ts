/** The optimizers' procedures on the toy regression, from @graft/optim/testing. */
export { STEPS, emaRun, procedures, type Toy } from '../src/testing/procedures.js';
