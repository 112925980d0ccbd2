#!/usr/bin/env bash
# Checks that the build is reproducible: builds every module twice from clean (no tests, no guest
# boot, no fuzzing) and compares the SHA-256 of every jar the two builds leave in */target (module,
# sources and javadoc jars). Exits 0 when all are byte-identical, 1 listing the jars that differ.
# Extra arguments go to both Maven runs, e.g. -o for an offline build:
#   scripts/check-reproducible.sh [-o]
# Jar entries take their time from project.build.outputTimestamp (pom.xml); both builds run in this
# tree, as the BPF objects in the samples jar carry the build directory in their debug info.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$ROOT"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for run in 1 2; do
	echo "check-reproducible: clean build $run of 2..." >&2
	./mvnw -B -q clean package -DskipTests -Dnicoffload.vm.skip=true -Dnicoffload.fuzz.skip=true "$@" </dev/null
	find . -path ./.git -prune -o -path '*/target/*.jar' -print | LC_ALL=C sort | xargs -r sha256sum > "$out/build$run.sha256"
	# keep build 1's jars to name the differing entries afterwards
	[ "$run" = 2 ] || while read -r _ jar; do mkdir -p "$out/jars/${jar%/*}"; cp "$jar" "$out/jars/$jar"; done < "$out/build1.sha256"
done

n=$(wc -l < "$out/build1.sha256")
[ "$n" -gt 0 ] || { echo "check-reproducible: the build left no jars" >&2; exit 1; }
if diff -q "$out/build1.sha256" "$out/build2.sha256" >/dev/null; then
	echo "check-reproducible: $n jars, all byte-identical in both builds"
	exit 0
fi
echo "check-reproducible: jars that differ between the two builds:"
diff "$out/build1.sha256" "$out/build2.sha256" | sed -n 's/^> [0-9a-f]*  //p' | while read -r jar; do
	echo "  $jar"
	if [ -f "$out/jars/$jar" ] && [ -f "$jar" ]; then
		# the differing entries, by CRC and size (unzip -v), then the first few
		diff <(unzip -v "$out/jars/$jar" | awk 'NF >= 8 && $7 ~ /^[0-9a-f]+$/ {print $7, $1, $8}') \
			<(unzip -v "$jar" | awk 'NF >= 8 && $7 ~ /^[0-9a-f]+$/ {print $7, $1, $8}') | sed -n 's/^> /    entry differs: /p' | awk 'NR <= 5'
	fi
done
exit 1
