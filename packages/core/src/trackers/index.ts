export * from './records';
export * from './trend';
