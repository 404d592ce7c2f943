// The default lists the heuristics match against (`sec.config.defaults`); each is an option of
// `scanCrate` (options.ts), so that a registry extends or trims them without changing the code.

/**
 * Hosts of messaging, paste and webhook services, where stolen data is sent and second stages
 * are fetched from: the 2023 typosquats posted to `api.telegram.org`; Discord and Slack webhooks
 * and paste sites serve the same purpose in npm and PyPI malware.
 */
export const DEFAULT_EXFIL_HOSTS: readonly string[] = [
  'api.telegram.org',
  't.me',
  'discord.com/api/webhooks',
  'discordapp.com/api/webhooks',
  'hooks.slack.com',
  'pastebin.com',
  'paste.ee',
  'hastebin.com',
  'ghostbin.co',
  'rentry.co',
  'termbin.com',
  'transfer.sh',
  '0x0.st',
  'file.io',
  'webhook.site',
  'requestbin.net',
  'pipedream.net',
  'ngrok.io',
  'ngrok-free.app',
  'interact.sh',
  'oast.fun',
  'burpcollaborator.net',
]

/** Identifiers of network APIs in Rust code: `std::net`, and the HTTP and socket crates. */
export const DEFAULT_NETWORK_IDENTIFIERS: readonly string[] = [
  'TcpStream',
  'TcpListener',
  'UdpSocket',
  'ToSocketAddrs',
  'reqwest',
  'ureq',
  'hyper',
  'curl',
  'attohttpc',
  'isahc',
  'minreq',
  'surf',
  'http_req',
  'ehttp',
  'tungstenite',
  'socket2',
]

/** Crates that give a build script or a procedural macro the network (matched in the manifest). */
export const DEFAULT_NETWORK_CRATES: readonly string[] = ['reqwest', 'ureq', 'hyper', 'curl', 'attohttpc', 'isahc', 'minreq', 'surf', 'http_req', 'ehttp', 'tungstenite', 'socket2']

/**
 * Programs that build scripts run for ordinary reasons: the compiler they probe (`$RUSTC`, as serde,
 * libc and autocfg do), C toolchains (`cc`, `cmake`), `pkg-config`, `git` for version stamps. A
 * `$NAME` is a program named by that environment variable.
 */
export const DEFAULT_ALLOWED_PROGRAMS: readonly string[] = [
  '$RUSTC', '$RUSTC_WRAPPER', '$RUSTDOC', '$CARGO', '$CC', '$CXX', '$AR', '$PKG_CONFIG', '$PROTOC', '$LLVM_CONFIG',
  'rustc', 'rustdoc', 'cargo', 'cc', 'c++', 'gcc', 'g++', 'clang', 'clang++', 'cl', 'ar', 'ld', 'lib', 'link',
  'git', 'pkg-config', 'pkgconf', 'cmake', 'make', 'gmake', 'nmake', 'ninja', 'meson', 'xcrun', 'nasm', 'yasm',
  'perl', 'protoc', 'llvm-config', 'windres', 'rc', 'autoreconf',
]

/** Environment variables that only CI services set: code that reads them can behave otherwise there. */
export const DEFAULT_CI_VARIABLES: readonly string[] = [
  'CI', 'GITLAB_CI', 'GITHUB_ACTIONS', 'GITHUB_WORKFLOW', 'TRAVIS', 'CIRCLECI', 'JENKINS_URL', 'BUILDKITE', 'TF_BUILD', 'TEAMCITY_VERSION', 'APPVEYOR', 'DRONE', 'BITBUCKET_BUILD_NUMBER', 'CODEBUILD_BUILD_ID',
]

/** Environment variables that hold credentials. `CARGO_REGISTRIES_<NAME>_TOKEN` is matched as a pattern besides these. */
export const DEFAULT_CREDENTIAL_VARIABLES: readonly string[] = [
  'CARGO_REGISTRY_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN', 'GITLAB_TOKEN', 'CI_JOB_TOKEN', 'NPM_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET', 'GOOGLE_APPLICATION_CREDENTIALS', 'DOCKER_PASSWORD', 'SSH_AUTH_SOCK', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
]

/** Parts of paths of credential files (matched anywhere in a string). */
export const DEFAULT_CREDENTIAL_PATHS: readonly string[] = [
  '.cargo/credentials', '.ssh/id_', '.ssh/authorized_keys', 'id_rsa', 'id_ed25519', 'id_ecdsa', '.aws/credentials', '.git-credentials', '.docker/config.json', '.npmrc', '.netrc', '.kube/config', '.gnupg', '.config/gh/hosts.yml',
]

/** Environment variables and files that identify the machine and its user, which the 2023 typosquats sent home. */
export const DEFAULT_HOST_VARIABLES: readonly string[] = ['USER', 'USERNAME', 'LOGNAME', 'HOSTNAME', 'COMPUTERNAME', 'USERDOMAIN', '/etc/hostname', '/etc/passwd', '/etc/machine-id']

/** Identifiers of APIs that identify the machine and its user (the `whoami`, `hostname`, `gethostname`, `sysinfo` crates). */
export const DEFAULT_HOST_IDENTIFIERS: readonly string[] = ['whoami', 'gethostname', 'hostname', 'sysinfo', 'os_info', 'machine_uid']
