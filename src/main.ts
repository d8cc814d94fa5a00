import { CommanderError } from 'commander';
import { DataDirectoryLockedError, UsageError } from './core/errors';
import { buildProgram } from './cli/program';

/** CLI entry: one clear line and a non-zero exit on error (2 for bad usage, 1 otherwise). */
async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mdm: ${message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : error instanceof DataDirectoryLockedError ? 1 : 1;
  }
}

// A reader that stops early (`mdm export golden | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await main(process.argv);
