/**
 * Jiebang's pure domain: stages, actions, the transition function, deadlines, limits and the
 * reference data the workflow needs. No I/O; safe inside the Temporal workflow sandbox.
 * The regions table is imported separately from './reference/regions'.
 */
export * from './roles';
export * from './stages';
export * from './refusals';
export * from './actions';
export * from './state';
export * from './rules';
export * from './limits';
export * from './time';
export * from './credit-code';
export * from './registration';
export * from './step';
export * from './reasons';
export * from './guards';
export * from './clock';
export * from './decide';
export * from './action-rules';
export * from './reference/tasks';
export * from './projection';
export * from './forms';
export * from './audit-events';
export * from './review';
export * from './flow';
export * from './campaign-setup';
export * from './follow-up';
