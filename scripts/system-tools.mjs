#!/usr/bin/env node
// The system tools the project needs beyond Node, named before anything runs, each with the one
// command that installs it on this machine (apt, dnf or brew).
//   node scripts/system-tools.mjs install|test    says what is missing for that, exits 1 if any
//   node scripts/system-tools.mjs --setup         installs what is missing, where it may
// Plain Node, no dependencies: it runs before `npm install` has installed anything.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * What each need is, how to tell it is there, and its package per package manager. `for` says
 * whether `npm install` needs it (keytar and sqlite3 build from source) or only `npm test`.
 */
export const TOOLS = [
  {
    name: 'a C++ compiler, make and Python',
    why: 'keytar and sqlite3 build from source during npm install',
    for: 'install',
    platforms: ['linux'],
    check: (has) => has.command('g++') && has.command('make') && has.command('python3'),
    packages: { apt: ['build-essential', 'python3'], dnf: ['gcc-c++', 'make', 'python3'] },
  },
  {
    name: 'the Xcode command line tools',
    why: 'keytar and sqlite3 build from source during npm install',
    for: 'install',
    platforms: ['darwin'],
    check: (has) => has.command('clang++'),
    packages: { xcode: [] },
  },
  {
    name: 'pkg-config and the libsecret development files',
    why: 'keytar, which keeps the API key in the system keychain, builds against them',
    for: 'install',
    platforms: ['linux'],
    check: (has) => has.command('pkg-config') && has.pkgConfig('libsecret-1'),
    packages: { apt: ['pkg-config', 'libsecret-1-dev'], dnf: ['pkgconf-pkg-config', 'libsecret-devel'] },
  },
  {
    name: 'Chromium',
    why: 'the window is tested in a real browser',
    for: 'test',
    platforms: ['linux'],
    check: (has) => has.file(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    packages: { apt: ['chromium'], dnf: ['chromium'] },
  },
  {
    name: 'D-Bus and gnome-keyring',
    why: 'the keychain tests use a real, throwaway Secret Service',
    for: 'test',
    platforms: ['linux'],
    check: (has) => has.command('dbus-run-session') && has.command('gnome-keyring-daemon'),
    packages: { apt: ['dbus', 'gnome-keyring', 'libsecret-tools'], dnf: ['dbus-daemon', 'gnome-keyring', 'libsecret'] },
  },
  {
    name: 'openssl',
    why: 'the certificate tests make a throwaway company root with it',
    for: 'test',
    platforms: ['linux', 'darwin'],
    check: (has) => has.command('openssl'),
    packages: { apt: ['openssl'], dnf: ['openssl'], brew: ['openssl'] },
  },
  {
    name: 'ffmpeg',
    why: 'the local TwelveLabs emulator makes previews and thumbnails with it',
    for: 'test',
    platforms: ['linux', 'darwin'],
    check: (has) => has.command('ffmpeg'),
    packages: { apt: ['ffmpeg'], dnf: ['ffmpeg-free'], brew: ['ffmpeg'] },
  },
];

/** The one command that installs `packages` with `manager`, run as root (or through sudo). */
export function installCommand(manager, packages, root) {
  const sudo = root ? '' : 'sudo ';
  switch (manager) {
    case 'apt':
      return `${sudo}apt-get install -y ${packages.join(' ')}`;
    case 'dnf':
      return `${sudo}dnf install -y ${packages.join(' ')}`;
    case 'brew':
      return `brew install ${packages.join(' ')}`;
    case 'xcode':
      return 'xcode-select --install';
    default:
      return null;
  }
}

/**
 * What is missing for `purpose` ('install', or 'test', which includes install's), and the
 * commands that install it. `has` answers whether a command, file or pkg-config module exists.
 */
export function plan({ purpose, platform, manager, root, has }) {
  const missing = TOOLS.filter(
    (tool) => tool.platforms.includes(platform) && (purpose === 'test' || tool.for === 'install') && !tool.check(has),
  );
  const byManager = new Map();
  const unknown = [];
  for (const tool of missing) {
    const use = tool.packages.xcode ? 'xcode' : manager;
    const packages = use ? tool.packages[use] : undefined;
    if (!packages) unknown.push(tool);
    else byManager.set(use, [...(byManager.get(use) ?? []), ...packages]);
  }
  const commands = [...byManager].map(([use, packages]) => installCommand(use, [...new Set(packages)], root));
  return { missing, commands, unknown };
}

function probe() {
  const command = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
  return {
    command,
    file: (path) => existsSync(path),
    pkgConfig: (module) => spawnSync('pkg-config', ['--exists', module], { stdio: 'ignore' }).status === 0,
  };
}

function packageManager(has, platform) {
  if (platform === 'darwin') return has.command('brew') ? 'brew' : null;
  if (has.command('apt-get')) return 'apt';
  if (has.command('dnf')) return 'dnf';
  return null;
}

function main(argv) {
  const setup = argv.includes('--setup');
  const purpose = setup ? 'test' : argv[0] === 'install' ? 'install' : 'test';
  const has = probe();
  const root = process.getuid?.() === 0;
  const result = plan({
    purpose,
    platform: process.platform,
    manager: packageManager(has, process.platform),
    root,
    has,
  });
  if (result.missing.length === 0) return 0;
  const lines = result.missing.map((tool) => `  - ${tool.name}: ${tool.why}`);
  if (!setup) {
    process.stderr.write(
      `This machine is missing what ${purpose === 'install' ? 'npm install' : 'the tests'} need:\n${lines.join('\n')}\n` +
        (result.commands.length > 0 ? `Install it with:\n  ${result.commands.join('\n  ')}\n` : '') +
        (result.unknown.length > 0 ? 'Install the rest with your system’s package manager.\n' : '') +
        'Or run "npm run setup", which installs it where it may.\n',
    );
    return 1;
  }
  process.stdout.write(`Installing:\n${lines.join('\n')}\n`);
  for (const command of result.commands) {
    process.stdout.write(`$ ${command}\n`);
    try {
      // apt needs its package lists first on a fresh machine.
      const update = command.includes('apt-get install') ? command.replace(/install -y .*/, 'update -qq') : null;
      if (update) execFileSync('sh', ['-c', update], { stdio: 'inherit' });
      execFileSync('sh', ['-c', command], { stdio: 'inherit' });
    } catch {
      process.stderr.write(`That did not work; run it yourself, then "npm run setup" again.\n`);
      return 1;
    }
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(main(process.argv.slice(2)));
