#!/usr/bin/env node
// The casebook CLI. Sources are TypeScript, loaded through tsx (see docs/decisions/0003-runtime.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
await main(process.argv.slice(2));
