# SPDX-License-Identifier: GPL-2.0
# Host side of the benchmark: how much memory lkmdemo takes, read from the built objects
# with binutils (nothing is built or booted here). Source it, then:
#
#   footprint_table <build dir>...
#	One Markdown table per kernel build directory (an O= directory of lib/build.sh).
#	Modules (CONFIG_LKMDEMO=m): every .ko installed under <b>/modroot/lib/modules/*/
#	kernel/drivers/misc/lkmdemo/. Built in (=y): the driver's objects listed in
#	<b>/drivers/misc/lkmdemo/built-in.a, summed (the KUnit suite is left out), plus the
#	client module if installed. Columns: text, data, bss, dec from size(1); the .init.*
#	sections from readelf -S, which the kernel frees once the module's init function
#	returned (built in: with the rest of the kernel's init memory after boot); .exit.*
#	(kept by a module while module unloading is configured, discarded from vmlinux);
#	.modinfo, which size counts but the module loader does not keep; and what stays
#	allocated: dec - init - modinfo (built in: - .exit.* too). Not counted anywhere
#	here: the FIFO itself, bufsize bytes from kvmalloc() at init. Compare with the guest's /proc/modules size, which
#	rounds each kind of memory (text, rodata, data) up to whole pages.
#	Returns 1 if a directory has no lkmdemo objects at all.

# footprint_size_tool: the size(1) of the binutils of the build directory's arch, whose
# cross prefix footprint_table keeps in its local fp_cross (seen here: bash scoping).
footprint_size_tool()
{
	local cross=${fp_cross:-}
	if [ -n "$cross" ] && command -v "${cross}size" >/dev/null; then
		echo "${cross}size"
	else
		echo size
	fi
}

# footprint_sizes <elf file>...: "text data bss dec init exit modinfo init_list", summed
# over the files; init_list names each .init.* section with its size (name=bytes,...).
footprint_sizes()
{
	local f
	for f in "$@"; do
		"$(footprint_size_tool)" "$f" | awk 'NR == 2 { print "size", $1, $2, $3, $4 }'
		readelf -S -W "$f" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk '{ print "sect", $1, $5 }'
	done | awk '
	function hex(s,   i, c, v) {
		v = 0
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
			v = v * 16 + c
		}
		return v
	}
	$1 == "size" { t += $2; d += $3; b += $4; dec += $5; next }
	$1 == "sect" {
		n = hex($3)
		if ($2 ~ /^\.init\./) {
			init += n
			if (!($2 in per)) order[++k] = $2
			per[$2] += n
		} else if ($2 ~ /^\.exit\./) {
			exit_ += n
		} else if ($2 == ".modinfo") {
			mi += n
		}
	}
	END {
		list = ""
		for (i = 1; i <= k; i++)
			list = list (i > 1 ? ", " : "") order[i] " " per[order[i]]
		if (list == "") list = "-"
		printf "%d %d %d %d %d %d %d %s\n", t, d, b, dec, init, exit_, mi, list
	}'
}

# footprint_row <module|builtin> <label> <elf file>...: one table row. Built in, the
# .exit.* sections are discarded at link time and do not stay either.
footprint_row()
{
	local kind=$1 label=$2 t d b dec init ex mi list stays
	shift 2
	read -r t d b dec init ex mi list < <(footprint_sizes "$@")
	stays=$((dec - init - mi))
	[ "$kind" = builtin ] && stays=$((stays - ex))
	echo "| $label | $t | $d | $b | $dec | $init ($list) | $ex | $mi | $stays |"
}

footprint_table()
{
	local b ko kdir rel arch mode objs rc=0 any fp_cross
	for b in "$@"; do
		rel=$(cat "$b/include/config/kernel.release" 2>/dev/null || echo "?")
		# A build directory is named <arch>-<compiler...> (build_dir, stress_build_dir).
		arch=$(basename "$b")
		arch=${arch%%-*}
		fp_cross=$(arch_cross "$arch" 2>/dev/null) || { fp_cross=""; arch="?"; }
		mode=$(sed -n 's/^CONFIG_LKMDEMO=\([my]\)$/\1/p' "$b/.config" 2>/dev/null)
		echo "#### lkmdemo footprint: Linux $rel ${arch:-?}, CONFIG_LKMDEMO=${mode:-n}"
		echo
		echo "| object | text | data | bss | dec | init, freed after init (sections) | .exit.* | .modinfo | stays allocated |"
		echo "|---|---:|---:|---:|---:|---|---:|---:|---:|"
		any=""
		if [ "$mode" = y ] && [ -f "$b/drivers/misc/lkmdemo/built-in.a" ]; then
			# A thin archive: it lists the paths of the objects.
			objs=$(ar t "$b/drivers/misc/lkmdemo/built-in.a" | grep -v kunit |
				while read -r o; do
					case "$o" in /*) echo "$o" ;; *) echo "$b/drivers/misc/lkmdemo/$o" ;; esac
				done)
			if [ -n "$objs" ]; then
				# shellcheck disable=SC2086
				footprint_row builtin "lkmdemo (built in: $(echo $objs | xargs -n 1 basename | tr '\n' ' ' | sed 's/ $//'))" $objs
				any=1
			fi
		elif [ "$mode" = y ]; then
			echo "| lkmdemo (built in: no drivers/misc/lkmdemo/built-in.a in $b) | | | | | | | | |"
			rc=1
		fi
		for kdir in "$b"/modroot/lib/modules/*/kernel/drivers/misc/lkmdemo; do
			[ -d "$kdir" ] || continue
			for ko in "$kdir"/*.ko; do
				[ -f "$ko" ] || continue
				footprint_row module "$(basename "$ko")" "$ko"
				any=1
			done
		done
		[ -n "$any" ] || { echo "| (no lkmdemo objects in $b) | | | | | | | | |"; rc=1; }
		echo
	done
	return $rc
}
