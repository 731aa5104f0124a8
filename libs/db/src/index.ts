export * from './data-source';
export * from './audit-chain';
export * from './audit-checkpoints';
export * from './crypto-context';
export * from './roles';
export * from './seed-reference';
export * from './repositories';
export * from './sql/stages';
export { MIGRATIONS } from './migrations';
