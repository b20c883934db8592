#!/usr/bin/env node
import { CommanderError } from 'commander';
import { reportError, usageErrorExitCode } from './exit-codes.ts';
import { buildProgram } from './program.ts';

// A reader that stops early (`insights ... | head`) ends the output quietly, as a closed pipe
// ends any Unix tool, instead of with an EPIPE stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version end as commander says (0, or 1 for help shown because nothing was asked);
    // a usage error has printed its line and ends like any other bad input.
    const shown = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);
    process.exitCode = shown ? error.exitCode : usageErrorExitCode;
  } else {
    process.exitCode = reportError(error);
  }
}
