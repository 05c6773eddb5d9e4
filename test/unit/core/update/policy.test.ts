import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHECK_EVERY_MS,
  FIRST_CHECK_DELAY_MS,
  installDecision,
  nextCheckDelay,
  feedNamesPublisher,
  updatesOffReason,
} from '../../../../electron/core/update/policy';
import { isReleasedBuild } from '../../../../electron/cli/context';
import { tempDir } from '../../../helpers/temp-dir';
import { updateWords } from '../../../../electron/shared/updates';

describe('when the app looks for a new version', () => {
  it('looks quietly a minute after start, then daily', () => {
    const now = 1_000_000_000;
    expect(nextCheckDelay(null, now)).toBe(FIRST_CHECK_DELAY_MS);
    expect(nextCheckDelay(now, now)).toBe(CHECK_EVERY_MS);
    expect(nextCheckDelay(now - CHECK_EVERY_MS + 5 * 60_000, now)).toBe(5 * 60_000);
    // Long overdue (the computer slept): soon, but not in the middle of waking up.
    expect(nextCheckDelay(now - 3 * CHECK_EVERY_MS, now)).toBe(FIRST_CHECK_DELAY_MS);
  });

  const installed = { packaged: true, platform: 'darwin', appImage: false, signedFeed: false } as const;

  it('is off when running from source, and says so', () => {
    expect(updatesOffReason({ ...installed, packaged: false })).toBe('source');
    expect(updatesOffReason(installed)).toBeNull();
  });

  it('never installs what it cannot check, nor runs a file of the user’s as root', () => {
    expect(updatesOffReason({ ...installed, platform: 'win32' })).toBe('unsigned');
    expect(updatesOffReason({ ...installed, platform: 'win32', signedFeed: true })).toBeNull();
    expect(updatesOffReason({ ...installed, platform: 'linux' })).toBe('package-manager');
    expect(updatesOffReason({ ...installed, platform: 'linux', appImage: true })).toBeNull();
  });
});

describe('when a downloaded version may be installed', () => {
  it.each([
    ['ready', 'restart-asked', false, 'install'],
    ['ready', 'restart-asked', true, 'wait-for-uploads'],
    ['waiting-for-uploads', 'uploads-finished', false, 'install'],
    ['waiting-for-uploads', 'uploads-finished', true, 'nothing'],
    ['waiting-for-uploads', 'restart-asked', false, 'nothing'],
    ['ready', 'uploads-finished', false, 'nothing'],
    ['other', 'restart-asked', false, 'nothing'],
    ['other', 'uploads-finished', false, 'nothing'],
  ] as const)('%s, %s, uploading %s: %s', (state, event, uploading, decision) => {
    expect(installDecision({ state, event, uploading })).toBe(decision);
  });

  it('says each state in words', () => {
    expect(updateWords({ kind: 'ready', version: '1.2.0' })).toBe('A new version is ready: Restart to update (1.2.0)');
    expect(updateWords({ kind: 'waiting-for-uploads', version: '1.2.0' })).toBe(
      'Version 1.2.0 is installed when the uploads finish',
    );
    expect(updateWords({ kind: 'idle', checkedAt: 1 })).toBe('You have the newest version');
    expect(updateWords({ kind: 'downloading', version: '1.2.0', percent: 41.6 })).toBe(
      'Downloading version 1.2.0 (42%)',
    );
  });
});

describe('what this copy is, for updating it', () => {
  it('reads whether the update feed names a publisher, as only a signed build’s does', async () => {
    const signed = await tempDir();
    await writeFile(
      join(signed, 'app-update.yml'),
      'owner: twelvelabs\nrepo: uploader\npublisherName:\n  - TwelveLabs Inc.\n',
    );
    const unsigned = await tempDir();
    await writeFile(join(unsigned, 'app-update.yml'), 'owner: twelvelabs\nrepo: uploader\n');
    expect(await feedNamesPublisher(signed)).toBe(true);
    expect(await feedNamesPublisher(unsigned)).toBe(false);
    expect(await feedNamesPublisher(join(unsigned, 'missing'))).toBe(false);
  });

  it('applies release rules in the installed app’s CLI face, and not from source', () => {
    expect(isReleasedBuild({ versions: { ...process.versions, electron: '45.5.0' }, defaultApp: undefined })).toBe(
      true,
    );
    expect(isReleasedBuild({ versions: { ...process.versions, electron: '45.5.0' }, defaultApp: true })).toBe(false);
    expect(isReleasedBuild({ versions: { ...process.versions }, defaultApp: undefined })).toBe(false);
  });
});
