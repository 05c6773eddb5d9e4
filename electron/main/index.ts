import { app } from 'electron';
import { isCliInvocation } from './cli-invocation';

// One program, two faces: with a command it is the CLI (same core, no window, no Node needed
// beside it); without, the app.
if (isCliInvocation(process.argv, app.isPackaged)) {
  app.dock?.hide();
  await import('../cli/index');
} else {
  await import('./app');
}
