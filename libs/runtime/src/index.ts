export * from './config';
export * from './logger';
export * from './temporal';
export * from './passwords';
export * from './redact';
export * from './totp';
