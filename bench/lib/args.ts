/**
 * The command line of a benchmark script: `--name value` options and `--flag` switches, read as
 * given (each script checks its own values).
 *
 * @example
 * ```ts
 * const size = Number(opt('size') ?? 1_000_000);
 * const write = !flag('no-write');
 * ```
 */
export const args = process.argv.slice(2);

/** The value after `--name`, or undefined when the option is not given. */
export function opt(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
}

/** Whether `--name` is given. */
export function flag(name: string): boolean {
  return args.includes(`--${name}`);
}
