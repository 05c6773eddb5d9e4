import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain-Node script without type declarations (it runs before npm install).
import { plan } from '../../scripts/system-tools.mjs';

/** A machine that has everything but `without`. */
function machine(without: string[]) {
  return {
    command: (name: string) => !without.includes(name),
    file: (path: string) => !without.includes(path),
    pkgConfig: (module: string) => !without.includes(module),
  };
}

describe('the system tools a fresh machine is missing', () => {
  it('names what npm install needs on Debian, with the one apt command', () => {
    const result = plan({
      purpose: 'install',
      platform: 'linux',
      manager: 'apt',
      root: false,
      has: machine(['libsecret-1', '/usr/bin/chromium']),
    });
    expect(result.missing.map((tool: { name: string }) => tool.name)).toEqual([
      'pkg-config and the libsecret development files',
    ]);
    expect(result.commands).toEqual(['sudo apt-get install -y pkg-config libsecret-1-dev']);
  });

  it('adds what the tests need, in one command per package manager, without sudo as root', () => {
    const result = plan({
      purpose: 'test',
      platform: 'linux',
      manager: 'dnf',
      root: true,
      has: machine(['/usr/bin/chromium', 'gnome-keyring-daemon', 'ffmpeg']),
    });
    expect(result.commands).toEqual(['dnf install -y chromium dbus-daemon gnome-keyring libsecret ffmpeg-free']);
  });

  it('on macOS asks for the Xcode tools and brew for the rest', () => {
    const result = plan({
      purpose: 'test',
      platform: 'darwin',
      manager: 'brew',
      root: false,
      has: machine(['clang++', 'ffmpeg']),
    });
    expect(result.commands).toEqual(['xcode-select --install', 'brew install ffmpeg']);
  });

  it('says so when no package manager it knows is there', () => {
    const result = plan({ purpose: 'install', platform: 'linux', manager: null, root: false, has: machine(['make']) });
    expect(result.commands).toEqual([]);
    expect(result.unknown).toHaveLength(1);
  });

  it('finds nothing missing on a machine that has it all', () => {
    expect(plan({ purpose: 'test', platform: 'linux', manager: 'apt', root: false, has: machine([]) }).missing).toEqual(
      [],
    );
  });
});
