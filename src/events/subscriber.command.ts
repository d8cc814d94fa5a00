import type { Command } from 'commander';
import { printJson, withDatabase } from '../cli/context';
import { UsageError } from '../core/errors';
import { addSubscriber, listEventSubscribers, OPERATOR, removeSubscriber, setSubscriberPaused, type SubscriberResult } from './subscriber.service';
import type { SubscriberView } from './subscriber.repository';

function unwrap<T extends object>(result: SubscriberResult<T>): T {
  if (result.kind === 'success') return result;
  throw new UsageError(result.message);
}

const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));

function describeSubscriber(s: SubscriberView): string {
  return `#${s.id} "${s.name}" ${s.url} entities=${s.entities?.join(',') ?? 'all'} events=${s.eventTypes?.join(',') ?? 'all'}${s.active ? '' : ' (paused)'}`;
}

function toJson(s: SubscriberView) {
  return { id: s.id, name: s.name, url: s.url, entities: s.entities, eventTypes: s.eventTypes, active: s.active, createdAt: s.createdAt };
}

/**
 * `mdm subscriber add|list|remove|pause|resume`: receivers of change events (admin operation).
 *
 * @example
 * ```sh
 * mdm subscriber add --url https://erp.example.com/mdm-events --entity customer --events created,merged
 * mdm subscriber list
 * mdm subscriber remove erp.example.com/mdm-events
 * ```
 */
export function registerSubscriber(program: Command): void {
  const subscriber = program.command('subscriber').description('receivers of change events (CloudEvents over HTTP, signed)');

  subscriber
    .command('add')
    .description('register a subscriber; its signing secret is printed once')
    .requiredOption('--url <url>', 'where events are POSTed')
    .option('--name <name>', 'unique name (default: host and path of the URL)')
    .option('--entity <types>', 'only these entity types (comma-separated; default all)')
    .option('--events <types>', 'only these event types, e.g. created,updated,merged (default all)')
    .option('--secret <secret>', 'HMAC signing secret (default: generated)')
    .option('--from-beginning', 'also deliver every event already in the outbox')
    .option('--json', 'print JSON')
    .action(async (opts: { url: string; name?: string; entity?: string; events?: string; secret?: string; fromBeginning?: boolean; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const { subscriber: s, secret } = unwrap(
          await addSubscriber(db, OPERATOR, {
            url: opts.url, name: opts.name, entities: list(opts.entity), eventTypes: list(opts.events), secret: opts.secret,
            startAt: opts.fromBeginning ? 'beginning' : 'now',
          }),
        );
        if (opts.json) {
          printJson({ ...toJson(s), secret: opts.secret === undefined ? secret : undefined });
          return;
        }
        process.stdout.write(`added subscriber ${describeSubscriber(s)}\n`);
        if (opts.secret === undefined) {
          process.stdout.write(`signing secret (verify X-MDM-Signature with it; it is not shown again):\n${secret}\n`);
        }
      });
    });

  subscriber
    .command('list')
    .description('list subscribers (never their secrets)')
    .option('--json', 'print JSON (one array)')
    .action(async (opts: { json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const { subscribers } = unwrap(await listEventSubscribers(db, OPERATOR));
        if (opts.json) {
          printJson(subscribers.map(toJson));
          return;
        }
        if (subscribers.length === 0) {
          process.stdout.write('no subscribers; add one with `mdm subscriber add --url <url>`\n');
          return;
        }
        for (const s of subscribers) process.stdout.write(`${describeSubscriber(s)}\n`);
      });
    });

  subscriber
    .command('remove <subscriber>')
    .description('remove a subscriber (id or name) with its pending deliveries and dead letters')
    .action(async (idOrName: string) => {
      await withDatabase(async ({ db }) => {
        const { subscriber: s } = unwrap(await removeSubscriber(db, OPERATOR, idOrName));
        process.stdout.write(`removed subscriber #${s.id} "${s.name}"\n`);
      });
    });

  for (const [command, paused] of [['pause', true], ['resume', false]] as const) {
    subscriber
      .command(`${command} <subscriber>`)
      .description(paused ? 'stop delivering to a subscriber; events keep queueing' : 'deliver to a paused subscriber again')
      .action(async (idOrName: string) => {
        await withDatabase(async ({ db }) => {
          const { subscriber: s } = unwrap(await setSubscriberPaused(db, OPERATOR, idOrName, paused));
          process.stdout.write(`${paused ? 'paused' : 'resumed'} subscriber #${s.id} "${s.name}"\n`);
        });
      });
  }
}
