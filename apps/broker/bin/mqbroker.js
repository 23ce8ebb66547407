#!/usr/bin/env node
// Runs the built broker (pnpm build first). From source: node --conditions=@apogee/source --import tsx src/cli.ts
import('../dist/cli.js');
