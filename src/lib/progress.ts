import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr, only when a person is watching (stderr is a terminal); `update`
 * starts it on first use. `format` is cli-progress's: `{bar}`, `{value}`, `{total}`,
 * `{percentage}`, `{eta_formatted}` and the payload's own fields.
 */
export function progressBar(format: string) {
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(value: number, total: number, payload: Record<string, string | number> = {}) {
      if (!process.stderr.isTTY) return;
      if (!started) bar.start(total, 0, payload);
      started = true;
      bar.setTotal(total);
      bar.update(value, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
