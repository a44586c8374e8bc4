# SPDX-License-Identifier: GPL-2.0
# Profiles as data: what a boot of a test kernel is for. Each profile is a file under
# harness/profiles/ (as an architecture is one under harness/arches/, lib/arch.sh):
#   <name>.sh        its facts, as shell assignments (the fields below; read, never run here)
#   *.cmdline        the kernel command line files it names in CMDLINE
#   configs/*.config the kconfig fragments it names in CONFIGS
# and its guest entry point is harness/guest/run-<ENTRY>.sh. Every boot of the harness
# takes its kernel command line from profile_cmdline; nothing else writes
# lkmdemo_harness.run= or lkmdemo_harness.mode=.
#
# Fields of <name>.sh:
#   ENTRY       the guest entry point: guest/run-<ENTRY>.sh (shell: guest/init's shell)
#   CMDLINE     kernel command line files under profiles/, in order (optional)
#   CONFIGS     kconfig fragments under configs/, merged after common, the arch's and
#               lkmdemo-<mode>.config (optional; may use ${KNOB}, e.g. ${STRESS_KIND})
# A profile cell (a row of its own in the matrix, `harness/run cell PROFILE=<name>`, unit
# "profile <name>" of the full tier) has these as well:
#   KERNEL      newest (the newest supported kernel) or next (lib/kernel.sh)
#   ARCH        its architecture
#   MODES       the LKMDEMO modes it boots, in order (m, y)
#   LABEL       its row in the matrix table (${KVER} is the kernel)
#   TOOLCHAIN   gcc (default) or llvm-NN: LLVM=-NN, Debian's clang-NN
#   BUILD_TAG   a build directory of its own, "<arch>-<tag>-<compiler>", for a kernel
#               configured unlike the matrix's (optional)
#   STAGE       a step of its own around the boot: lib/<STAGE>.sh defines
#               <STAGE>_configure <b> (prints an extra fragment), <STAGE>_stage <b>
#               <arch> <kselftest bin> (after the build: records its host checks and
#               fills <b>/<STAGE>-stage, the guest's /harness/bin) and <STAGE>_cmdline
#               <b> (prints NAME=value words for the command line files)
#   STATIC      1: sparse (C=2) + W=1 on our files of each booted cell
#   PACKAGES    Debian packages it needs on top of the harness's
#   LESSONS     1: after its M cell, the lessons (lib/lessons.sh), e.g. a lesson only its
#               kernel can run ("<!-- lessons: config CONFIG_... -->")
#   MAKE_ARGS   arguments of every make of its kernel, e.g. CLIPPY=1 (optional)
#   USERLAND    a Debian suite (e.g. trixie): its kernel is built there, in a userland
#               made by debootstrap with PACKAGES (lib/userland.sh), not on the host
# The other profiles are run by their own command (stress, bench, field, lessons...):
#   RUNNER      the `harness/run` command that runs it, when that is not `cell`
# And every profile may have:
#   FULL        1: a unit "profile <name>" of the full tier (`harness/run test TIER=full`,
#               one job of the workflow); a profile cell, stress or field
#
# A command line file holds kernel parameters, a line or more; "#" starts a comment.
# ${NAME} is the value of a knob (lib/knobs.sh) or of a name the caller passes (MODE,
# ARCH, ACCEL...); any other name is an error. A line "NAME=value: params" adds params
# only when NAME has that value, e.g. "MODE=y: lkmdemo.whom=Builtin"; "NAME!=value: params"
# only when it has another (an empty value is allowed: "GROUPS!=: ...").

PROFILE_FIELDS="ENTRY CMDLINE CONFIGS KERNEL ARCH MODES LABEL TOOLCHAIN BUILD_TAG STAGE STATIC
	PACKAGES USERLAND MAKE_ARGS LESSONS RUNNER FULL"
PROFILE_DIR=$HARNESS_DIR/profiles

# The fields of the profile last loaded, by name: ${PF[ENTRY]} ...
declare -A PF=()

# profile_list [cells|full]: every profile there is a file for; with "cells", the profile
# cells (those with a KERNEL); with "full", the units of the full tier (FULL=1).
profile_list()
{
	local f n
	for f in "$PROFILE_DIR"/*.sh; do
		n=${f##*/}
		n=${n%.sh}
		case "${1:-}" in
		cells) profile_load "$n" 2>/dev/null && [ -n "${PF[KERNEL]}" ] || continue ;;
		full) profile_load "$n" 2>/dev/null && [ "${PF[FULL]}" = 1 ] || continue ;;
		esac
		printf '%s\n' "$n"
	done
}

# profile_load <name>: read harness/profiles/<name>.sh into PF. An unknown profile is a
# one-line error and status 2.
profile_load()
{
	local name=$1 f=$PROFILE_DIR/$1.sh kv
	[ "${PF[NAME]:-}" = "$name" ] && return 0
	if [[ ! "$name" =~ ^[a-z0-9_-]+$ ]] || [ ! -f "$f" ]; then
		echo "lkmdemo-harness: error: unknown profile $name (profiles: $(echo $(profile_list)))" >&2
		return 2
	fi
	PF=([NAME]="$name")
	while IFS= read -r -d '' kv; do
		PF[${kv%%=*}]=${kv#*=}
	# shellcheck disable=SC2086
	done < <(facts_read "$f" $PROFILE_FIELDS)
	[ -n "${PF[ENTRY]:-}" ] || { echo "lkmdemo-harness: error: $f has no ENTRY" >&2; PF=(); return 2; }
}

# profile_get <name> <FIELD>: one field.
profile_get() { profile_load "$1" && printf '%s\n' "${PF[$2]:-}"; }

# profile_expand <text> [NAME=value...]: <text> with each ${NAME} replaced by the value
# given, else by the knob's; an unknown name is an error (status 2).
profile_expand()
{
	local text=$1 out="" name val kv
	shift
	while [[ "$text" =~ ^([^$]*)\$\{([A-Za-z_][A-Za-z0-9_]*)\}(.*)$ ]]; do
		out=$out${BASH_REMATCH[1]} name=${BASH_REMATCH[2]} text=${BASH_REMATCH[3]}
		val="" kv=""
		for kv in "$@" ""; do [ "${kv%%=*}" = "$name" ] && break; done
		if [ -n "$kv" ]; then
			val=${kv#*=}
		elif knob_known "$name"; then
			val=${!name:-}
		else
			echo "lkmdemo-harness: error: \${$name} is neither a knob nor given for this boot" >&2
			return 2
		fi
		out=$out$val
	done
	[[ "$text" != *'$'* ]] || { echo "lkmdemo-harness: error: a \$ that is not \${NAME}: $text" >&2; return 2; }
	printf '%s\n' "$out$text"
}

# profile_cmdline <name> [NAME=value...]: the kernel command line of one boot of the
# profile: lkmdemo_harness.run=<ENTRY>, lkmdemo_harness.mode=<MODE> when MODE is given,
# then its command line files. run_qemu adds console=, the arch's KERNEL_ARGS, panic=-1,
# oops=panic and panic_on_warn=1 before it.
profile_cmdline()
{
	local name=$1 f line cond mode="" kv words out w
	shift
	profile_load "$name" || return 2
	for kv in "$@"; do [ "${kv%%=*}" = MODE ] && mode=${kv#*=}; done
	out="lkmdemo_harness.run=${PF[ENTRY]}${mode:+ lkmdemo_harness.mode=$mode}"
	for f in ${PF[CMDLINE]}; do
		[ -f "$PROFILE_DIR/$f" ] ||
			{ echo "lkmdemo-harness: error: profile $name: no profiles/$f" >&2; return 2; }
		while IFS= read -r line || [ -n "$line" ]; do
			line=${line%%#*}
			if [[ "$line" =~ ^[[:space:]]*([A-Z_][A-Z0-9_]*)(!?=)([^:[:space:]]*):(.*)$ ]]; then
				cond=$(profile_expand "\${${BASH_REMATCH[1]}}" "$@") || return 2
				if [ "${BASH_REMATCH[2]}" = "=" ]; then
					[ "$cond" = "${BASH_REMATCH[3]}" ] || continue
				else
					[ "$cond" != "${BASH_REMATCH[3]}" ] || continue
				fi
				line=${BASH_REMATCH[4]}
			fi
			words=$(profile_expand "$line" "$@") || return 2
			# One space between words (read, not an unquoted echo: no globbing).
			read -r -a w <<< "$words"
			[ ${#w[@]} -gt 0 ] && out="$out ${w[*]}"
		done < "$PROFILE_DIR/$f"
	done
	printf '%s\n' "$out"
}

# profile_configs <name> [NAME=value...]: the paths of its kconfig fragments.
profile_configs()
{
	local name=$1 c
	shift
	profile_load "$name" || return 2
	for c in ${PF[CONFIGS]}; do
		c=$(profile_expand "$c" "$@") || return 2
		[ -f "$HARNESS_DIR/configs/$c" ] ||
			{ echo "lkmdemo-harness: error: profile $name: no configs/$c" >&2; return 2; }
		printf '%s\n' "$HARNESS_DIR/configs/$c"
	done
}
