import type { Command } from 'commander';
import { printJson, withDatabase } from '../cli/context';
import { UsageError } from '../core/errors';
import { listApiKeys, revokeApiKey } from './api-key.repository';
import { createApiKey, InvalidRoleError } from './api-key.service';

/**
 * `mdm apikey create|list|revoke`. The key is printed once by `create`; nothing can show it again.
 *
 * @example
 * ```sh
 * mdm apikey create --role reader --name "crm integration"
 * mdm apikey list --json
 * mdm apikey revoke 3
 * ```
 */
export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('API keys for the HTTP API (GraphQL)');

  apikey
    .command('create')
    .description('issue a key; it is printed once and only its hash is stored')
    .requiredOption('--role <role>', 'reader | steward | admin | ingest:<source>')
    .option('--name <name>', 'what the key is for (shown by list)')
    .option('--json', 'print JSON')
    .action(async (opts: { role: string; name?: string; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        let created;
        try {
          created = await createApiKey(db, { role: opts.role, name: opts.name });
        } catch (error) {
          if (error instanceof InvalidRoleError) throw new UsageError(error.message);
          throw error;
        }
        const { key, row } = created;
        if (opts.json) {
          printJson({ id: row.id, name: row.name, role: row.role, prefix: row.prefix, key });
          return;
        }
        process.stdout.write(
          `created API key #${row.id} "${row.name}" with role ${row.role}\n` +
            `store it now, it is not shown again:\n${key}\n`,
        );
      });
    });

  apikey
    .command('list')
    .description('list keys (never their secrets)')
    .option('--json', 'print JSON (one array)')
    .action(async (opts: { json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const rows = await listApiKeys(db);
        if (opts.json) {
          printJson(rows);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('no API keys; create one with `mdm apikey create --role reader`\n');
          return;
        }
        for (const r of rows) {
          const state = r.revokedAt ? `revoked ${r.revokedAt.toISOString()}` : 'active';
          const used = r.lastUsedAt ? `last used ${r.lastUsedAt.toISOString()}` : 'never used';
          process.stdout.write(`#${r.id} mdm_${r.prefix}_… ${r.role} "${r.name}" ${state}, ${used}\n`);
        }
      });
    });

  apikey
    .command('revoke <id>')
    .description('revoke a key by id; requests with it are refused from now on')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) throw new UsageError(`key id "${id}" is not a number (see \`mdm apikey list\`)`);
      await withDatabase(async ({ db }) => {
        const row = await revokeApiKey(db, id);
        if (!row) throw new UsageError(`no API key with id ${id} (see \`mdm apikey list\`)`);
        process.stdout.write(`revoked API key #${row.id} "${row.name}" (${row.role})\n`);
      });
    });
}
