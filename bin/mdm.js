#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `mdm` works from a plain `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
