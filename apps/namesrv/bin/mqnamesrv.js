#!/usr/bin/env node
// Runs the built NameServer (pnpm build first). From source: node --conditions=@apogee/source --import tsx src/cli.ts
import('../dist/cli.js');
