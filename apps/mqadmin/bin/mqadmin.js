#!/usr/bin/env node
// Runs the built CLI (pnpm build first). From source: pnpm mqadmin <command> … at the repository root.
import('../dist/cli.js');
