export { buildApp } from './app';
export { loadConfig } from './config';
export { startServer } from './server';
