import { Command } from 'commander';
import { registerIngest } from './ingest.command';
import { registerQuarantine } from './quarantine.command';
import { registerServe } from './serve.command';
import { registerSync } from './sync.command';
import { withDatabase } from './context';
import { migrateToLatest } from '../db/migrate';
import { registerDemo } from './demo.command';
import { registerApiKey } from '../auth/apikey.command';
import { registerExport, registerResolve, registerTrain } from './resolve.command';
import { registerEvents } from '../events/events.command';
import { registerSubscriber } from '../events/subscriber.command';
import { registerInbox } from '../realtime/inbox.command';

/** Builds the `mdm` command line. */
export function buildProgram(): Command {
  const program = new Command('mdm')
    .description('master data hub with identity resolution for manufacturers')
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('migrate')
    .description('apply pending database migrations (sql/NNNN_*.sql)')
    .action(async () => {
      await withDatabase(async (database) => {
        // withDatabase already migrated; report what is applied.
        const { results } = await migrateToLatest(database.db);
        process.stdout.write(`${results.length} migrations applied on ${database.description}\n`);
      });
    });

  registerIngest(program);
  registerQuarantine(program);
  registerResolve(program);
  registerTrain(program);
  registerExport(program);
  registerSync(program);
  registerServe(program);
  registerDemo(program);
  registerApiKey(program);
  registerSubscriber(program);
  registerEvents(program);
  registerInbox(program);
  return program;
}
