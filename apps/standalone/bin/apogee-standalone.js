#!/usr/bin/env node
// Runs the built standalone entry (pnpm build first). From source: pnpm -C apps/standalone start
import('../dist/cli.js');
