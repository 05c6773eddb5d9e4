/** The command-line tool's commands: started with one of these, the app runs the CLI, not a window. */
export const CLI_COMMANDS = [
  'upload',
  'watch',
  'resume',
  'status',
  'report',
  'doctor',
  'assets',
  'indexes',
  'help',
] as const;
const CLI_FLAGS = new Set(['--help', '-h', '--version', '-V']);

/**
 * Whether this start of the app is the command-line tool: the installed app is the same program
 * as `twelvelabs-uploader` (the deb's /usr/bin link, the PATH entry on Windows, the macOS menu's
 * "Install Command Line Tool"), so the first argument decides. A file path (what a launcher or a
 * drop on the icon passes) opens the window as usual. From source (`electron .`), the arguments
 * start one later.
 */
export function isCliInvocation(argv: readonly string[], packaged: boolean): boolean {
  const first = argv[packaged ? 1 : 2];
  if (first === undefined) return false;
  return (CLI_COMMANDS as readonly string[]).includes(first) || CLI_FLAGS.has(first);
}
