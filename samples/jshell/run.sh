#!/usr/bin/env bash
# Runs one JShell sample of this directory with the project's modules on the class path:
#   samples/jshell/run.sh NAME            (NAME.jsh beside this script, e.g. xdp-counter)
# The samples need root and a kernel with netdevsim; run them in the test VM:
#   ./nicoffload vm -- samples/jshell/run.sh xdp-counter
# jshell runs with --execution local: the default remote agent JVM starts too slowly under
# the VM's software-emulated CPU. Build first (./nicoffload --help builds what is missing).
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
# shellcheck source=../../scripts/lib.sh
. "$ROOT/scripts/lib.sh"
name=${1:?usage: samples/jshell/run.sh NAME   (one of: $(cd "$ROOT/samples/jshell" && ls *.jsh | sed 's/\.jsh$//' | tr '\n' ' '))}
script="$ROOT/samples/jshell/${name%.jsh}.jsh"
[ -f "$script" ] || { nicoffload_log "no sample $script"; exit 2; }
nicoffload_select_jdk
[ -f "$ROOT/cli/target/module-path" ] || { nicoffload_log "not built yet: run ./nicoffload --help on the host first"; exit 2; }
CP=$(nicoffload_cli_module_path "$ROOT")
# jshell keeps its settings in java.util.prefs: point them at a writable place (the guest's / is read-only)
prefs="${TMPDIR:-/tmp}/nicoffload-jshell-prefs"
mkdir -p "$prefs"
exec "$JAVA_HOME/bin/jshell" --execution local -J--enable-native-access=ALL-UNNAMED \
	-J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC -J-Djava.util.prefs.userRoot="$prefs" \
	--class-path "$CP" "$script"
