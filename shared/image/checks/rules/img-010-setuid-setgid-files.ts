import { imageCheck } from '../check.ts';
import { finalEntries, isRegular } from '../filesystem.ts';

const SETUID = 0o4000;
const SETGID = 0o2000;

/**
 * setuid/setgid programs the distro base images ship (Debian/Ubuntu, Alpine, RHEL/UBI/Rocky/Amazon
 * Linux): password and account tools, mount, the OpenSSH key signer, PAM helpers. Under both /bin and /usr/bin.
 */
const DISTRO_BASELINE = new Set(
  [
    ...['passwd', 'su', 'chsh', 'chfn', 'newgrp', 'gpasswd', 'mount', 'umount', 'chage', 'expiry', 'crontab', 'wall', 'write', 'ssh-agent', 'bbsuid', 'pkexec', 'fusermount', 'fusermount3', 'at']
      .flatMap((name) => [`bin/${name}`, `usr/bin/${name}`]),
    ...['unix_chkpwd', 'pam_timestamp_check', 'userhelper', 'pam_extrausers_chkpwd']
      .flatMap((name) => [`sbin/${name}`, `usr/sbin/${name}`]),
    'usr/lib/openssh/ssh-keysign',
    'usr/libexec/openssh/ssh-keysign',
    'usr/lib/dbus-1.0/dbus-daemon-launch-helper',
    'usr/libexec/dbus-1/dbus-daemon-launch-helper',
  ],
);

export default imageCheck({
  id: 'IMG-010',
  severity: 'medium',
  title: 'setuid or setgid file',
  description:
    'A file of the final filesystem has the setuid (04000) or setgid (02000) bit: running it raises privileges, a path to root for anyone who gets code execution. Files of the distro baseline (passwd, su, mount, ssh-keysign, ...) are reported as info.',
  remediation: 'Strip the bits in the build (`find / -xdev -perm /6000 -type f -exec chmod a-s {} +`) or remove the programs; set `allowPrivilegeEscalation: false` in the pod.',
  compliance: ['CIS-DOCKER 4.8', 'NIST-800-190 4.1.2', 'MITRE T1548.001'],
  *check(image) {
    for (const [path, entry] of finalEntries(image)) {
      if (!isRegular(entry) || (entry.mode & (SETUID | SETGID)) === 0) continue;
      const bits = [entry.mode & SETUID ? 'setuid' : '', entry.mode & SETGID ? 'setgid' : ''].filter(Boolean).join('+');
      const baseline = DISTRO_BASELINE.has(path);
      yield {
        message: `/${path} is ${bits} (mode ${(entry.mode & 0o7777).toString(8).padStart(4, '0')}, owner ${entry.uid})${baseline ? ', part of the distro baseline' : ''}`,
        severity: baseline ? 'info' : undefined,
        path,
        layerDigest: image.layers[entry.layerIndex]?.digest ?? null,
        historyIndex: image.layers[entry.layerIndex]?.historyIndex ?? null,
        field: `file:${path}`,
      };
    }
  },
});
