/**
 * Preloaded (`node --require`) into a process the fleet benchmark measures: prints
 * the process's peak resident memory on stderr as it exits, whatever it ran.
 */
process.on("exit", () => {
  // maxRSS is in kilobytes.
  process.stderr.write(`\npeak-rss-bytes: ${process.resourceUsage().maxRSS * 1024}\n`);
});
